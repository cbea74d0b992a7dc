#include "generate/performance_generator.h"

#include <algorithm>
#include <cmath>
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

  void encode(int, int event_class, int64_t elapsed_steps, float* dense,
              int32_t* onehot) const override {
    const PerformanceEvent event = class_to_event(event_class);
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
  PRNN_CHECK(!config.note_performance() && options.num_outputs >= 1);
  double last_end = 0;
  for (const auto& note : primer.notes()) last_end = std::max(last_end, note.end_time());
  if (last_end > options.start_time) {
    throw InputError("the primer's last note ends at " + std::to_string(last_end) +
                     " s, after the generate section's start at " +
                     std::to_string(options.start_time) + " s; generation can only extend it");
  }
  const magenta::NoteSequence quantized = quantize_note_sequence_absolute(primer, kStepsPerSecond);
  ExtractionOptions extraction;
  extraction.num_velocity_bins = config.num_velocity_bins;
  Statistics statistics;
  std::optional<AnyPerformance> extracted = extract_performance(quantized, extraction, &statistics);
  const int64_t gen_start = quantize_to_step(options.start_time, kStepsPerSecond, 0.0);
  const int64_t gen_end = quantize_to_step(options.end_time, kStepsPerSecond, 1.0);
  if (gen_end <= gen_start) {
    throw InputError("the generate section [" + std::to_string(options.start_time) + ", " +
                     std::to_string(options.end_time) + ") s holds no time step");
  }
  Performance performance(static_cast<int>(gen_start), config.num_velocity_bins);
  if (extracted && std::holds_alternative<Performance>(*extracted) &&
      std::get<Performance>(*extracted).size() > 0) {
    performance = std::get<Performance>(*extracted);
  }
  performance.set_length(gen_start - performance.start_step());
  const int64_t total_steps = performance.num_steps() + (gen_end - gen_start);
  if (performance.size() == 0) {
    performance.set_length(std::min<int64_t>(performance.max_shift_steps(), total_steps));
  }
  double mean_density = kDefaultNoteDensity;
  if (!options.controls.notes_per_second.empty()) {
    const auto& d = options.controls.notes_per_second;
    mean_density = std::accumulate(d.begin(), d.end(), 0.0) / d.size();
  }

  std::vector<int> steps_of_class(config.num_event_classes(), 0);
  for (int c = 0; c < config.num_event_classes(); ++c) {
    const PerformanceEvent event = class_to_event(c);
    if (event.type == EventType::kTimeShift) steps_of_class[c] = event.value;
  }
  std::vector<int> primer_classes;
  for (const PerformanceEvent& event : performance.events()) {
    primer_classes.push_back(event_to_class(event));
  }
  std::vector<GeneratedSequence> sequences(options.num_outputs);
  for (int i = 0; i < options.num_outputs; ++i) {
    sequences[i].events = primer_classes;
    sequences[i].rng = StreamRng(options.seed + static_cast<uint64_t>(i));
  }
  PerformanceStepInput input(config, options.controls, total_steps);

  // Fill loop: each pass groups the outputs that need the same number of new events.
  auto steps_needed = [&](const GeneratedSequence& s) { return total_steps - s.elapsed_steps; };
  for (auto& s : sequences) {
    for (int c : s.events) s.elapsed_steps += steps_of_class[c];
  }
  std::vector<std::vector<int>> passes(options.num_outputs);
  for (int pass = 0;; ++pass) {
    std::map<int64_t, std::vector<int>> groups;  // new events → outputs
    for (int i = 0; i < options.num_outputs; ++i) {
      const int64_t remaining = steps_needed(sequences[i]);
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
               std::to_string(steps_needed(sequences[members[0]])) + " more steps, asking for " +
               std::to_string(new_events) + " RNN steps");
      std::vector<GeneratedSequence> batch;
      for (int i : members) batch.push_back(std::move(sequences[i]));
      beam_search(network, input, steps_of_class, batch, static_cast<int>(new_events),
                  options.search);
      for (size_t k = 0; k < members.size(); ++k) sequences[members[k]] = std::move(batch[k]);
    }
    if (!options.fill_generate_section) break;
  }

  std::vector<GeneratedPerformance> out(options.num_outputs);
  for (int i = 0; i < options.num_outputs; ++i) {
    Performance result(performance.start_step(), config.num_velocity_bins);
    result.set_program_info(performance.program_info());
    for (int c : sequences[i].events) result.append(class_to_event(c));
    result.set_length(total_steps);
    out[i].num_events = static_cast<int>(result.size());
    out[i].log_likelihood = sequences[i].log_likelihood;
    out[i].passes = std::move(passes[i]);
    out[i].sequence = result.to_sequence(100, 0, std::nullopt, options.max_note_duration);
  }
  return out;
}

}  // namespace prnn
