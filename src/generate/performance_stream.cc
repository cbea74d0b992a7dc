#include "generate/performance_stream.h"

#include "base/error.h"
#include "music/sequences.h"

namespace prnn {

PerformanceStream::PerformanceStream(const PerformanceConfig& config, const ParamArena& params,
                                     uint64_t seed)
    : config_(config),
      encoder_(config),
      network_(params, 1),
      dense_(config.input_layout().dense_size),
      scratch_(network_.shape().num_logits()),
      onehot_(config.input_layout().num_groups()),
      heads_(config.output_heads()),
      sampled_(heads_.size()) {
  reset(seed);
}

void PerformanceStream::reset(uint64_t seed, std::span<const PerformanceEvent> primer) {
  network_.reset();
  rng_ = StreamRng(seed);
  elapsed_steps_ = 0;
  // An event model without a primer starts from one second of silence.
  const PerformanceEvent silence{EventType::kTimeShift, kDefaultMaxShiftSteps};
  std::span<const PerformanceEvent> events =
      primer.empty() && !config_.note_performance() ? std::span(&silence, 1) : primer;
  for (const PerformanceEvent& event : events) {
    if (event.type == EventType::kTimeShift) elapsed_steps_ += event.value;
  }
  if (config_.note_performance()) {
    reset_notes(primer);
    return;
  }
  // Events 0 … n−2 in one network pass; the last one is fed by the first next().
  const size_t steps = events.size() - 1;
  const size_t groups = onehot_.size(), dense_size = dense_.size();
  std::vector<int32_t> onehot(steps * groups);
  std::vector<float> dense(steps * dense_size);
  for (size_t i = 0; i < steps; ++i) {
    encoder_.encode_input(events[i], config_.has_control_signals() ? &controls_ : nullptr,
                          &dense[i * dense_size], &onehot[i * groups]);
  }
  network_.prime(1, static_cast<int>(steps), onehot, dense);
  last_ = events.back();
}

void PerformanceStream::reset_notes(std::span<const PerformanceEvent> primer) {
  std::vector<NoteEvent> notes;
  if (!primer.empty()) {
    Performance performance(0, config_.num_velocity_bins);
    for (const PerformanceEvent& event : primer) performance.append(event);
    const magenta::NoteSequence quantized = quantize_note_sequence_absolute(
        performance.to_sequence(100, 0, std::nullopt, 0), kStepsPerSecond);
    notes =
        NotePerformance::from_quantized_sequence(quantized, 0, config_.num_velocity_bins).events();
  }
  int64_t last_onset = 0;
  for (const NoteEvent& note : notes) last_onset += note.time_shift;
  if (notes.empty()) notes.push_back({0, 60, 1, 1});  // fed, never returned
  notes_.reset(last_onset, elapsed_steps_, primer.empty() ? 0 : notes.back().velocity_bin);
  // Notes 0 … n−2 in one network pass; the last one is fed by the first next().
  const size_t steps = notes.size() - 1, groups = onehot_.size();
  std::vector<int32_t> onehot(steps * groups);
  for (size_t i = 0; i < steps; ++i) encoder_.encode_input(notes[i], nullptr, &onehot[i * groups]);
  network_.prime(1, static_cast<int>(steps), onehot, {});
  last_note_ = notes.back();
}

PerformanceEvent PerformanceStream::next_from_notes() {
  while (notes_.empty()) {
    encoder_.encode_input(last_note_, dense_.data(), onehot_.data());
    logits_ = network_.step(1, onehot_, dense_);
    sample_heads(logits_, heads_, temperature_, rng_, scratch_, sampled_);
    last_note_ = classes_to_note_event(sampled_);
    notes_.add(last_note_);
  }
  return notes_.pop();
}

void PerformanceStream::set_temperature(double temperature) {
  PRNN_CHECK(temperature > 0);
  temperature_ = temperature;
}
void PerformanceStream::set_note_density(double notes_per_second) {
  controls_.note_density = notes_per_second;
}
void PerformanceStream::set_pitch_histogram(const PitchHistogram& histogram) {
  controls_.pitch_histogram = histogram;
}
void PerformanceStream::set_conditioning(bool enabled) {
  controls_.disable_conditioning = !enabled;
}

void PerformanceStream::feed(const PerformanceEvent& event) {
  encoder_.encode_input(event, config_.has_control_signals() ? &controls_ : nullptr, dense_.data(),
                        onehot_.data());
  logits_ = network_.step(1, onehot_, dense_);
}

PerformanceEvent PerformanceStream::next() {
  if (config_.note_performance()) {
    last_ = next_from_notes();
    if (last_.type == EventType::kTimeShift) elapsed_steps_ += last_.value;
    return last_;
  }
  feed(last_);
  last_ = class_to_event(sample_logits(logits_, temperature_, rng_, scratch_).index);
  if (last_.type == EventType::kTimeShift) elapsed_steps_ += last_.value;
  return last_;
}

void PerformanceStream::next(int count, std::vector<PerformanceEvent>& out) {
  for (int i = 0; i < count; ++i) out.push_back(next());
}

}  // namespace prnn
