#include "generate/evaluate.h"

#include <algorithm>

#include "base/error.h"
#include "data/statistics.h"
#include "generate/sampler.h"
#include "music/sequences.h"
#include "performance/encoder.h"
#include "performance/extractor.h"

namespace prnn {
namespace {

constexpr double kSplitSeconds = 30.0;
constexpr int kMinEvents = 32;
constexpr int kMaxEvents = 512;

// Teacher-forced NLL of B examples advanced together; shorter ones simply stop counting.
void score_batch(GenerationNetwork& network, const PerformanceConfig& config,
                 const std::vector<EncodedExample>& examples, PerformanceScore& score) {
  const int streams = static_cast<int>(examples.size());
  const InputLayout layout = config.input_layout();
  const int dense_size = layout.dense_size, groups = layout.num_groups();
  const int vocab = config.num_event_classes();
  int steps = 0;
  for (const EncodedExample& e : examples) steps = std::max(steps, e.num_steps);
  std::vector<float> dense(static_cast<size_t>(streams) * dense_size);
  std::vector<int32_t> onehot(static_cast<size_t>(streams) * groups);
  network.reset();
  for (int t = 0; t < steps; ++t) {
    for (int s = 0; s < streams; ++s) {
      const EncodedExample& e = examples[s];
      const int at = std::min(t, e.num_steps - 1);
      std::copy_n(&e.dense[static_cast<size_t>(at) * dense_size], dense_size,
                  &dense[static_cast<size_t>(s) * dense_size]);
      std::copy_n(&e.onehot[static_cast<size_t>(at) * groups], groups,
                  &onehot[static_cast<size_t>(s) * groups]);
    }
    std::span<const float> logits = network.step(streams, onehot, dense);
    for (int s = 0; s < streams; ++s) {
      const EncodedExample& e = examples[s];
      if (t >= e.num_steps) continue;
      const int label = static_cast<int>(e.labels[t]);
      score.nll -=
          log_softmax_at(logits.subspan(static_cast<size_t>(s) * vocab, vocab), 1.0, label);
    }
  }
}

}  // namespace

std::vector<Performance> eval_performances(const magenta::NoteSequence& sequence,
                                           const PerformanceConfig& config) {
  std::vector<Performance> out;
  Statistics statistics;
  ExtractionOptions extraction;
  extraction.num_velocity_bins = config.num_velocity_bins;
  extraction.min_events = kMinEvents;
  extraction.max_events = kMaxEvents;
  for (const auto& segment :
       split_note_sequence(apply_sustain_control_changes(sequence), kSplitSeconds)) {
    std::optional<magenta::NoteSequence> kept =
        transpose_within_range(quantize_note_sequence_absolute(segment, kStepsPerSecond), 0);
    if (!kept) continue;
    std::optional<AnyPerformance> p = extract_performance(*kept, extraction, &statistics);
    if (p && std::holds_alternative<Performance>(*p)) out.push_back(std::get<Performance>(*p));
  }
  return out;
}

PerformanceScore score_performances(GenerationNetwork& network, const PerformanceConfig& config,
                                    const std::vector<Performance>& performances) {
  PRNN_CHECK(!config.note_performance());
  PerformanceEncoder encoder(config);
  PerformanceScore score;
  std::vector<EncodedExample> batch;
  auto flush = [&] {
    if (!batch.empty()) score_batch(network, config, batch, score);
    batch.clear();
  };
  for (const Performance& performance : performances) {
    if (performance.size() < 2) continue;
    EncodedExample example;
    encoder.encode(performance, /*disable_conditioning=*/false, &example);
    score.events += example.num_steps;
    for (size_t i = 1; i < performance.size(); ++i) {
      if (performance[i].type == EventType::kTimeShift)
        score.seconds += performance[i].value / 100.0;
    }
    score.performances += 1;
    batch.push_back(std::move(example));
    if (static_cast<int>(batch.size()) == network.max_streams()) flush();
  }
  flush();
  return score;
}

double performance_log_likelihood(GenerationNetwork& network, const PerformanceConfig& config,
                                  const Performance& performance, const ControlValues& controls) {
  PRNN_CHECK(!config.note_performance());
  PerformanceEncoder encoder(config);
  const InputLayout layout = config.input_layout();
  std::vector<float> dense(layout.dense_size);
  std::vector<int32_t> onehot(layout.num_groups());
  const int vocab = config.num_event_classes();
  network.reset();
  double total = 0;
  for (size_t k = 0; k + 1 < performance.size(); ++k) {
    encoder.encode_input(performance[k], config.has_control_signals() ? &controls : nullptr,
                         dense.data(), onehot.data());
    std::span<const float> logits = network.step(1, onehot, dense);
    total += log_softmax_at(logits.first(vocab), 1.0, event_to_class(performance[k + 1]));
  }
  return total;
}

}  // namespace prnn
