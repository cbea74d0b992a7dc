#include "generate/performance_generator.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include "base/error.h"
#include "base/log.h"
#include "music/sequences.h"
#include "performance/encoder.h"
#include "performance/extractor.h"

namespace prnn {
namespace {

template <typename T>
T value_at(const std::vector<T>& values, int64_t step, int64_t total_steps) {
  const int64_t n = static_cast<int64_t>(values.size());
  const int64_t index = total_steps > 0 ? std::min(step * n / total_steps, n - 1) : 0;
  return values[std::max<int64_t>(0, index)];
}

// The network input of a step: the event and the controls of the position after it.
class PerformanceStepInput : public StepInputEncoder {
 public:
  PerformanceStepInput(const PerformanceConfig& config, const ControlSchedule& schedule,
                       int64_t total_steps)
      : config_(config), encoder_(config), schedule_(schedule), total_steps_(total_steps) {}

  void encode(int, std::span<const int> event_classes, int64_t elapsed_steps, float* dense,
              int32_t* onehot) const override {
    if (config_.note_performance()) {
      encoder_.encode_input(classes_to_note_event(event_classes), dense, onehot);
      return;
    }
    const PerformanceEvent event = class_to_event(event_classes[0]);
    if (!config_.has_control_signals()) {
      encoder_.encode_input(event, nullptr, dense, onehot);
      return;
    }
    const ControlValues controls = controls_at(schedule_, elapsed_steps, total_steps_);
    encoder_.encode_input(event, &controls, dense, onehot);
  }

 private:
  const PerformanceConfig& config_;
  PerformanceEncoder encoder_;
  const ControlSchedule& schedule_;
  int64_t total_steps_;
};

// What the fill loop needs from an encoding: the primer as classes (K per event), the
// time steps of every logit (beam_search.h) and how long a generated sequence is.
struct PrimedGeneration {
  std::vector<int> primer_classes;
  int64_t total_steps = 0;
  std::vector<int> steps_of_class;
  // Time steps a sequence covers: Σ shifts, plus the last duration for the note encoding.
  std::function<int64_t(const GeneratedSequence&)> num_steps;
};

// Magenta's fill loop (doc/magenta.md §10, _generate step 7): while a sequence is shorter
// than total_steps, ask for ceil(4 · max(1, mean density) · remaining / 100) more events.
// Each pass groups the outputs that need the same number of new events. Returns the
// sequences and the events asked for in each pass of each output.
std::vector<GeneratedSequence> fill_section(GenerationNetwork& network,
                                            const PerformanceConfig& config,
                                            const PrimedGeneration& primed,
                                            const GenerateOptions& options,
                                            std::vector<std::vector<int>>& passes) {
  double mean_density = kDefaultNoteDensity;
  if (!options.controls.notes_per_second.empty()) {
    const auto& d = options.controls.notes_per_second;
    mean_density = std::accumulate(d.begin(), d.end(), 0.0) / d.size();
  }
  std::vector<GeneratedSequence> sequences(options.num_outputs);
  for (int i = 0; i < options.num_outputs; ++i) {
    sequences[i].events = primed.primer_classes;
    sequences[i].rng = StreamRng(options.seed + static_cast<uint64_t>(i));
  }
  PerformanceStepInput input(config, options.controls, primed.total_steps);
  passes.assign(options.num_outputs, {});
  for (int pass = 0;; ++pass) {
    std::map<int64_t, std::vector<int>> groups;  // new events → outputs
    for (int i = 0; i < options.num_outputs; ++i) {
      const int64_t remaining = primed.total_steps - primed.num_steps(sequences[i]);
      if (remaining <= 0) continue;
      const int64_t events = static_cast<int64_t>(
          std::ceil(4.0 * std::max(1.0, mean_density) * remaining / kStepsPerSecond));
      groups[events].push_back(i);
      passes[i].push_back(static_cast<int>(events));
    }
    if (groups.empty()) break;
    for (auto& [new_events, members] : groups) {
      log_info(std::to_string(members.size()) + " output(s) from " +
               std::to_string(members[0] + 1) + ": need " +
               std::to_string(primed.total_steps - primed.num_steps(sequences[members[0]])) +
               " more steps, asking for " + std::to_string(new_events) + " RNN steps");
      std::vector<GeneratedSequence> batch;
      for (int i : members) batch.push_back(std::move(sequences[i]));
      beam_search(network, input, primed.steps_of_class, batch, static_cast<int>(new_events),
                  options.search);
      for (size_t k = 0; k < members.size(); ++k) sequences[members[k]] = std::move(batch[k]);
    }
    if (!options.fill_generate_section) break;
  }
  return sequences;
}

// Σ of the time shifts of events given as one class per head.
int64_t sum_of_shifts(const std::vector<int>& classes, std::span<const int> steps_of_class,
                      std::span<const int> head_sizes) {
  int64_t steps = 0;
  size_t offset = 0;
  for (size_t i = 0; i < classes.size(); ++i) {
    const size_t head = i % head_sizes.size();
    if (head == 0) offset = 0;
    steps += steps_of_class[offset + classes[i]];
    offset += head_sizes[head];
  }
  return steps;
}

// The primer as the config's performance type, or nullopt when it yields no event.
template <typename PerformanceType>
std::optional<PerformanceType> extract_primer(const magenta::NoteSequence& quantized,
                                              const PerformanceConfig& config) {
  ExtractionOptions extraction;
  extraction.num_velocity_bins = config.num_velocity_bins;
  extraction.note_performance = config.note_performance();
  Statistics statistics;
  std::optional<AnyPerformance> extracted = extract_performance(quantized, extraction, &statistics);
  if (!extracted || !std::holds_alternative<PerformanceType>(*extracted) ||
      std::get<PerformanceType>(*extracted).size() == 0) {
    return std::nullopt;
  }
  return std::get<PerformanceType>(std::move(*extracted));
}

// The one-hot family: Magenta's Performance, padded to the section start.
std::vector<GeneratedPerformance> generate_event_performances(
    GenerationNetwork& network, const PerformanceConfig& config,
    const magenta::NoteSequence& quantized, int64_t gen_start, int64_t gen_end,
    const GenerateOptions& options) {
  Performance performance(static_cast<int>(gen_start), config.num_velocity_bins);
  if (std::optional<Performance> primer = extract_primer<Performance>(quantized, config)) {
    performance = std::move(*primer);
  }
  performance.set_length(gen_start - performance.start_step());
  PrimedGeneration primed;
  primed.total_steps = performance.num_steps() + (gen_end - gen_start);
  if (performance.size() == 0) {
    performance.set_length(std::min<int64_t>(performance.max_shift_steps(), primed.total_steps));
  }
  primed.steps_of_class.assign(config.num_event_classes(), 0);
  for (int c = 0; c < config.num_event_classes(); ++c) {
    const PerformanceEvent event = class_to_event(c);
    if (event.type == EventType::kTimeShift) primed.steps_of_class[c] = event.value;
  }
  for (const PerformanceEvent& event : performance.events()) {
    primed.primer_classes.push_back(event_to_class(event));
  }
  const std::vector<int> heads = config.output_heads();
  primed.num_steps = [&](const GeneratedSequence& s) {
    return sum_of_shifts(s.events, primed.steps_of_class, heads);
  };
  std::vector<std::vector<int>> passes;
  std::vector<GeneratedSequence> sequences = fill_section(network, config, primed, options, passes);

  std::vector<GeneratedPerformance> out(options.num_outputs);
  for (int i = 0; i < options.num_outputs; ++i) {
    Performance result(performance.start_step(), config.num_velocity_bins);
    result.set_program_info(performance.program_info());
    for (int c : sequences[i].events) result.append(class_to_event(c));
    result.set_length(primed.total_steps);
    out[i].num_events = static_cast<int>(result.size());
    out[i].log_likelihood = sequences[i].log_likelihood;
    out[i].passes = std::move(passes[i]);
    out[i].sequence = result.to_sequence(100, 0, std::nullopt, options.max_note_duration);
  }
  return out;
}

// The note encoding: Magenta's NotePerformance (one event per note). Its set_length is a
// no-op, so the primer is not padded and the sequence's length is Σ shifts + the last
// note's duration, as in Magenta.
std::vector<GeneratedPerformance> generate_note_performances(GenerationNetwork& network,
                                                             const PerformanceConfig& config,
                                                             const magenta::NoteSequence& quantized,
                                                             int64_t gen_start, int64_t gen_end,
                                                             const GenerateOptions& options) {
  NotePerformance performance(static_cast<int>(gen_start), config.num_velocity_bins);
  if (std::optional<NotePerformance> primer = extract_primer<NotePerformance>(quantized, config)) {
    performance = std::move(*primer);
  } else if (quantized.notes_size() > 0) {
    log_warn(
        "the primer's notes cannot be note tuples (more than one program, or a gap or note "
        "longer than 10 s); generating without a primer");
  }
  PrimedGeneration primed;
  primed.total_steps = performance.num_steps() + (gen_end - gen_start);
  // An empty NotePerformance cannot be padded with silence, and the network needs an
  // event to start from (Magenta stops there): we feed the encoding's default event
  // (shift 0, pitch 60, velocity bin 1, 1 step) at the section start and leave it out of
  // the output.
  const bool seeded = performance.size() == 0;
  if (seeded) performance.append({0, 60, 1, 1});
  const NoteEncodingSizes sizes = note_encoding_sizes();
  const std::vector<int> heads = config.output_heads();
  primed.steps_of_class.assign(network.shape().num_logits(), 0);
  for (int c = 0; c < heads[0]; ++c) primed.steps_of_class[c] = c * sizes.shift_per_segment;
  for (int c = 0; c < heads[1]; ++c) primed.steps_of_class[heads[0] + c] = c;
  for (const NoteEvent& event : performance.events()) {
    const auto classes = note_event_to_classes(event, sizes);
    primed.primer_classes.insert(primed.primer_classes.end(), classes.begin(), classes.end());
  }
  primed.num_steps = [&](const GeneratedSequence& s) {
    const NoteEvent last = classes_to_note_event(std::span(s.events).last(heads.size()));
    return sum_of_shifts(s.events, primed.steps_of_class, heads) + last.duration;
  };
  std::vector<std::vector<int>> passes;
  std::vector<GeneratedSequence> sequences = fill_section(network, config, primed, options, passes);

  std::vector<GeneratedPerformance> out(options.num_outputs);
  for (int i = 0; i < options.num_outputs; ++i) {
    NotePerformance result = performance;
    result.truncate(0);
    const std::span<const int> events = sequences[i].events;
    for (size_t e = seeded ? heads.size() : 0; e < events.size(); e += heads.size()) {
      result.append(classes_to_note_event(events.subspan(e, heads.size())));
    }
    result.trim_to_steps(primed.total_steps);
    out[i].num_events = static_cast<int>(result.size());
    out[i].log_likelihood = sequences[i].log_likelihood;
    out[i].passes = std::move(passes[i]);
    out[i].sequence = result.to_sequence();
  }
  return out;
}

}  // namespace

ControlValues controls_at(const ControlSchedule& schedule, int64_t step, int64_t total_steps) {
  ControlValues values;
  if (!schedule.notes_per_second.empty()) {
    values.note_density = value_at(schedule.notes_per_second, step, total_steps);
  }
  if (!schedule.pitch_class_histograms.empty()) {
    values.pitch_histogram = value_at(schedule.pitch_class_histograms, step, total_steps);
  }
  if (!schedule.disable_conditioning.empty()) {
    values.disable_conditioning = value_at(schedule.disable_conditioning, step, total_steps);
  }
  return values;
}

std::vector<GeneratedPerformance> generate_performances(GenerationNetwork& network,
                                                        const PerformanceConfig& config,
                                                        const magenta::NoteSequence& primer,
                                                        const GenerateOptions& options) {
  PRNN_CHECK(options.num_outputs >= 1);
  double last_end = 0;
  for (const auto& note : primer.notes()) last_end = std::max(last_end, note.end_time());
  if (last_end > options.start_time) {
    throw InputError("the primer's last note ends at " + std::to_string(last_end) +
                     " s, after the generate section's start at " +
                     std::to_string(options.start_time) + " s; generation can only extend it");
  }
  const magenta::NoteSequence quantized = quantize_note_sequence_absolute(primer, kStepsPerSecond);
  const int64_t gen_start = quantize_to_step(options.start_time, kStepsPerSecond, 0.0);
  const int64_t gen_end = quantize_to_step(options.end_time, kStepsPerSecond, 1.0);
  if (gen_end <= gen_start) {
    throw InputError("the generate section [" + std::to_string(options.start_time) + ", " +
                     std::to_string(options.end_time) + ") s holds no time step");
  }
  return config.note_performance()
             ? generate_note_performances(network, config, quantized, gen_start, gen_end, options)
             : generate_event_performances(network, config, quantized, gen_start, gen_end, options);
}

}  // namespace prnn
