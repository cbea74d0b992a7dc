#include "generate/performance_stream.h"

#include "base/error.h"

namespace prnn {

PerformanceStream::PerformanceStream(const PerformanceConfig& config, const ParamArena& params,
                                     uint64_t seed)
    : config_(config),
      encoder_(config),
      network_(params, 1, true),
      dense_(config.input_layout().dense_size),
      scratch_(config.num_event_classes()),
      onehot_(config.input_layout().num_groups()) {
  PRNN_CHECK(!config.note_performance());
  reset(seed);
}

void PerformanceStream::reset(uint64_t seed, std::span<const PerformanceEvent> primer) {
  network_.reset();
  rng_ = StreamRng(seed);
  elapsed_steps_ = 0;
  const PerformanceEvent silence{EventType::kTimeShift, kDefaultMaxShiftSteps};
  std::span<const PerformanceEvent> events = primer.empty() ? std::span(&silence, 1) : primer;
  for (const PerformanceEvent& event : events) {
    if (event.type == EventType::kTimeShift) elapsed_steps_ += event.value;
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
  feed(last_);
  last_ = class_to_event(sample_logits(logits_, temperature_, rng_, scratch_).index);
  if (last_.type == EventType::kTimeShift) elapsed_steps_ += last_.value;
  return last_;
}

void PerformanceStream::next(int count, std::vector<PerformanceEvent>& out) {
  for (int i = 0; i < count; ++i) out.push_back(next());
}

}  // namespace prnn
