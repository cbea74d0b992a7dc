#include "data/augmented_example_stream.h"

#include <algorithm>
#include <regex>

#include "base/error.h"
#include "base/log.h"
#include "data/eval_pipeline.h"
#include "performance/example_encoding.h"
#include "music/note_sequence_source.h"
#include "music/sequences.h"

namespace prnn {
namespace {

// Quantizes, transposes and encodes one window; false when it is too short.
bool encode_window(const magenta::NoteSequence& window, double start_seconds, int transpose,
                   bool disable_conditioning, const PerformanceConfig& config,
                   const PerformanceEncoder& encoder, const AugmentationOptions& options,
                   EncodedExample& out) {
  magenta::NoteSequence quantized = quantize_note_sequence_absolute(window, kStepsPerSecond);
  if (transpose != 0) {
    std::optional<magenta::NoteSequence> transposed = transpose_within_range(quantized, transpose);
    if (transposed) quantized = std::move(*transposed);
  }
  int start_step = static_cast<int>(quantize_to_step(start_seconds, kStepsPerSecond));
  if (config.note_performance()) {
    NotePerformance performance =
        NotePerformance::from_quantized_sequence(quantized, start_step, config.num_velocity_bins);
    if (performance.size() > static_cast<size_t>(options.max_events)) {
      performance.truncate(options.max_events);
    }
    if (performance.size() < static_cast<size_t>(options.min_events)) return false;
    encoder.encode(performance, &out);
  } else {
    Performance performance =
        Performance::from_quantized_sequence(quantized, start_step, config.num_velocity_bins);
    if (performance.size() > static_cast<size_t>(options.max_events)) {
      performance.truncate(options.max_events);
    }
    if (performance.size() < static_cast<size_t>(options.min_events)) return false;
    encoder.encode(performance, disable_conditioning, &out);
  }
  return out.num_steps > 0;
}

}  // namespace

std::shared_ptr<const SequenceList> load_sustained_sequences(const std::string& path,
                                                             const std::string& exclude_regex,
                                                             bool recursive) {
  auto sequences = std::make_shared<SequenceList>();
  std::optional<std::regex> exclude;
  if (!exclude_regex.empty()) exclude.emplace(exclude_regex);
  NoteSequenceSource::Options source_options;
  source_options.recursive = recursive;
  NoteSequenceSource source(path, source_options);
  int failures = 0, excluded = 0, without_notes = 0;
  source.for_each([&](NoteSequenceItem& item) {
    if (exclude && !item.relative_path.empty() && std::regex_search(item.relative_path, *exclude)) {
      ++excluded;
      return true;
    }
    if (!item.ok) {
      log_warn(item.error + " (skipped)");
      ++failures;
      return true;
    }
    if (item.sequence.notes_size() == 0) {
      ++without_notes;
      return true;
    }
    try {
      sequences->push_back(apply_sustain_control_changes(item.sequence));
    } catch (const InputError& e) {
      log_warn(item.path + ": " + e.what() + " (skipped)");
      ++failures;
    }
    return true;
  });
  const std::string found = std::to_string(failures) + " unreadable, " + std::to_string(excluded) +
                            " excluded, " + std::to_string(without_notes) + " without notes";
  log_info(path + ": " + std::to_string(sequences->size()) + " note sequences loaded, " + found);
  if (sequences->empty()) throw InputError(path + ": no usable note sequences (" + found + ")");
  return sequences;
}

AugmentedExampleStream::AugmentedExampleStream(std::shared_ptr<const SequenceList> sequences,
                                               const PerformanceConfig& config, uint64_t seed,
                                               AugmentationOptions options)
    : sequences_(std::move(sequences)),
      config_(config),
      encoder_(config),
      options_(options),
      rng_(seed) {
  std::vector<double> weights;
  for (const magenta::NoteSequence& sequence : *sequences_) {
    weights.push_back(std::max(sequence.total_time(), 1.0));
  }
  pick_piece_ = std::discrete_distribution<size_t>(weights.begin(), weights.end());
}

void AugmentedExampleStream::next(EncodedExample& out) {
  std::uniform_real_distribution<double> stretch_draw(options_.min_stretch, options_.max_stretch);
  std::uniform_int_distribution<int> transpose_draw(-options_.max_transpose,
                                                    options_.max_transpose);
  for (int attempt = 0;; ++attempt) {
    const magenta::NoteSequence& piece = (*sequences_)[pick_piece_(rng_)];
    double stretch = stretch_draw(rng_);
    // The window in the piece's own time, so the stretched window is window_seconds long.
    double window = options_.window_seconds / stretch;
    double latest_start = std::max(0.0, piece.total_time() - window);
    double start = std::uniform_real_distribution<double>(0.0, latest_start)(rng_);
    int transpose = transpose_draw(rng_);
    bool disable = config_.optional_conditioning && (rng_() & 1);
    try {
      magenta::NoteSequence stretched =
          stretch_note_sequence(trim_note_sequence(piece, start, start + window), stretch);
      if (encode_window(stretched, start * stretch, transpose, disable, config_, encoder_, options_,
                        out)) {
        return;
      }
    } catch (const InputError& e) {
      log_debug(std::string("augmentation: window skipped: ") + e.what());
    }
    if (attempt == 10000) {
      throw InputError("note sequences: no window yields " + std::to_string(options_.min_events) +
                       " events; are the pieces empty?");
    }
  }
}

void make_eval_examples(const magenta::NoteSequence& sustained, const PerformanceConfig& config,
                        std::vector<EncodedExample>& out) {
  PerformanceEncoder encoder(config);
  for (const AnyPerformance& performance : eval_performances_of_sustained(sustained, config)) {
    encode_examples(encoder, performance, [&](EncodedExample& example) {
      if (example.num_steps > 0) out.push_back(std::move(example));
    });
  }
}

}  // namespace prnn
