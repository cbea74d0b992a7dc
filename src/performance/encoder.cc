#include "performance/encoder.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "base/error.h"

namespace prnn {
namespace {

constexpr double kPi = std::numbers::pi;

void put_cos_sin(double angle, float* out) {
  out[0] = static_cast<float>(std::cos(angle));
  out[1] = static_cast<float>(std::sin(angle));
}

}  // namespace

int event_to_class(const PerformanceEvent& event, int max_shift_steps) {
  switch (event.type) {
    case EventType::kNoteOn:
      return event.value;
    case EventType::kNoteOff:
      return kNoteOffOffset + event.value;
    case EventType::kTimeShift:
      return kTimeShiftOffset + event.value;
    case EventType::kVelocity:
      return kTimeShiftOffset + max_shift_steps + event.value;
  }
  return 0;
}

PerformanceEvent class_to_event(int index, int max_shift_steps) {
  PRNN_CHECK(index >= 0);
  if (index < kNoteOffOffset) return {EventType::kNoteOn, index};
  if (index < kFirstTimeShiftClass) return {EventType::kNoteOff, index - kNoteOffOffset};
  if (index < kFirstTimeShiftClass + max_shift_steps) {
    return {EventType::kTimeShift, index - kTimeShiftOffset};
  }
  return {EventType::kVelocity, index - kTimeShiftOffset - max_shift_steps};
}

std::array<int, 6> note_event_to_classes(const NoteEvent& event, const NoteEncodingSizes& s) {
  const int duration = event.duration - 1;
  return {event.time_shift / s.shift_per_segment,
          event.time_shift % s.shift_per_segment,
          event.pitch,
          event.velocity_bin - 1,
          duration / s.duration_per_segment,
          duration % s.duration_per_segment};
}

NoteEvent classes_to_note_event(std::span<const int> c, const NoteEncodingSizes& s) {
  PRNN_CHECK(c.size() == 6);
  return {c[0] * s.shift_per_segment + c[1], c[2], c[3] + 1,
          c[4] * s.duration_per_segment + c[5] + 1};
}

PerformanceEncoder::PerformanceEncoder(const PerformanceConfig& config)
    : config_(config), layout_(config.input_layout()), sizes_(note_encoding_sizes()) {}

void PerformanceEncoder::encode_controls(const ControlValues& controls, float* dense) const {
  float* out = dense;
  if (config_.optional_conditioning) {
    *out++ = controls.disable_conditioning ? 1.0f : 0.0f;
    if (controls.disable_conditioning) {
      std::fill(out, dense + config_.control_size(), 0.0f);
      return;
    }
  }
  if (config_.note_density) {
    std::fill(out, out + kDensityClasses, 0.0f);
    out[density_class(controls.note_density)] = 1.0f;
    out += kDensityClasses;
  }
  if (config_.pitch_histogram) normalize_histogram(controls.pitch_histogram, out);
}

void PerformanceEncoder::encode_modulo(const PerformanceEvent& event, float* out) const {
  std::fill(out, out + layout_.dense_size - config_.control_size(), 0.0f);
  switch (event.type) {
    case EventType::kNoteOn:
    case EventType::kNoteOff: {
      float* at = out + (event.type == EventType::kNoteOn ? 0 : 5);
      at[0] = 1.0f;
      put_cos_sin(static_cast<double>(event.value) * kPi / 72.0, at + 1);
      put_cos_sin(static_cast<double>(event.value % 12) * kPi / 6.0, at + 3);
      break;
    }
    case EventType::kTimeShift:
      out[10] = 1.0f;
      put_cos_sin(static_cast<double>(event.value - 1) * 2.0 * kPi / kDefaultMaxShiftSteps,
                  out + 11);
      break;
    case EventType::kVelocity:
      out[13] = 1.0f;
      put_cos_sin(static_cast<double>(event.value - 1) * 2.0 * kPi / config_.num_velocity_bins,
                  out + 14);
      break;
  }
}

void PerformanceEncoder::encode_input(const PerformanceEvent& event, const ControlValues* controls,
                                      float* dense, int32_t* onehot) const {
  PRNN_CHECK(!config_.note_performance());
  if (config_.has_control_signals()) {
    PRNN_CHECK(controls != nullptr);
    encode_controls(*controls, dense);
  }
  if (config_.encoding == EventEncoding::kModulo) {
    encode_modulo(event, dense + config_.control_size());
  } else {
    onehot[0] = event_to_class(event);
  }
}

void PerformanceEncoder::encode_input(const NoteEvent& event, float*, int32_t* onehot) const {
  PRNN_CHECK(config_.note_performance());
  const auto classes = note_event_to_classes(event, sizes_);
  std::copy(classes.begin(), classes.end(), onehot);
}

void PerformanceEncoder::expand_magenta_input(const float* dense, const int32_t* onehot,
                                              float* out) const {
  std::copy(dense, dense + layout_.dense_size, out);
  out += layout_.dense_size;
  if (config_.encoding == EventEncoding::kOneHotIndex) {
    out[0] = static_cast<float>(onehot[0]);
    return;
  }
  for (int g = 0; g < layout_.num_groups(); ++g) {
    std::fill(out, out + layout_.onehot_sizes[g], 0.0f);
    out[onehot[g]] = 1.0f;
    out += layout_.onehot_sizes[g];
  }
}

void PerformanceEncoder::compact_input(const float* dense, const int32_t* onehot,
                                       float* out) const {
  std::copy(dense, dense + layout_.dense_size, out);
  for (int g = 0; g < layout_.num_groups(); ++g) {
    out[layout_.dense_size + g] = static_cast<float>(onehot[g]);
  }
}

void PerformanceEncoder::encode(const Performance& performance, bool disable_conditioning,
                                EncodedExample* out) const {
  const auto& events = performance.events();
  const int steps = events.empty() ? 0 : static_cast<int>(events.size()) - 1;
  const int dense_size = layout_.dense_size;
  const int groups = layout_.num_groups();
  out->num_steps = steps;
  out->dense.assign(static_cast<size_t>(steps) * dense_size, 0.0f);
  out->onehot.assign(static_cast<size_t>(steps) * groups, 0);
  out->labels.resize(steps);
  std::vector<double> densities;
  std::vector<PitchHistogram> histograms;
  if (config_.note_density) densities = note_densities(events, performance.steps_per_second());
  if (config_.pitch_histogram) {
    histograms = pitch_class_histograms(events, performance.steps_per_second());
  }
  ControlValues controls;
  controls.disable_conditioning = disable_conditioning;
  for (int t = 0; t < steps; ++t) {
    // The control describes the event being predicted (t + 1).
    if (config_.note_density) controls.note_density = densities[t + 1];
    if (config_.pitch_histogram) controls.pitch_histogram = histograms[t + 1];
    encode_input(events[t], &controls, out->dense.data() + static_cast<size_t>(t) * dense_size,
                 out->onehot.data() + static_cast<size_t>(t) * groups);
    out->labels[t] = event_to_class(events[t + 1]);
  }
}

void PerformanceEncoder::encode(const NotePerformance& performance, EncodedExample* out) const {
  const auto& events = performance.events();
  const int steps = events.empty() ? 0 : static_cast<int>(events.size()) - 1;
  out->num_steps = steps;
  out->dense.clear();
  out->onehot.resize(static_cast<size_t>(steps) * 6);
  out->labels.resize(static_cast<size_t>(steps) * 6);
  for (int t = 0; t < steps; ++t) {
    encode_input(events[t], nullptr, out->onehot.data() + static_cast<size_t>(t) * 6);
    const auto label = note_event_to_classes(events[t + 1], sizes_);
    std::copy(label.begin(), label.end(), out->labels.begin() + static_cast<ptrdiff_t>(t) * 6);
  }
}

}  // namespace prnn
