#include "performance/config.h"

#include "base/error.h"
#include "performance/control_signals.h"
#include "performance/performance.h"

namespace prnn {

int optimal_num_segments(int n) {
  int best = 0;
  int best_cost = 0;
  for (int i = 1; i < n; ++i) {
    if (n % i != 0) continue;
    const int cost = i + n / i;
    if (best == 0 || cost < best_cost) {
      best = i;
      best_cost = cost;
    }
  }
  return best;
}

NoteEncodingSizes note_encoding_sizes(int max_shift_steps, int max_duration_steps) {
  NoteEncodingSizes sizes;
  sizes.shift_segments = optimal_num_segments(max_shift_steps + 1);
  sizes.shift_per_segment = (max_shift_steps + 1) / sizes.shift_segments;
  sizes.duration_segments = optimal_num_segments(max_duration_steps);
  sizes.duration_per_segment = max_duration_steps / sizes.duration_segments;
  return sizes;
}

int PerformanceConfig::num_event_classes() const {
  return kFirstTimeShiftClass + kDefaultMaxShiftSteps + num_velocity_bins;
}

int PerformanceConfig::control_size() const {
  if (!has_control_signals()) return 0;
  return (optional_conditioning ? 1 : 0) + (note_density ? kDensityClasses : 0) +
         (pitch_histogram ? kPitchClasses : 0);
}

static int modulo_input_size(int num_velocity_bins) { return 13 + (num_velocity_bins > 0 ? 3 : 0); }

InputLayout PerformanceConfig::input_layout() const {
  switch (encoding) {
    case EventEncoding::kOneHot:
    case EventEncoding::kOneHotIndex:
      return {control_size(), {num_event_classes()}};
    case EventEncoding::kModulo:
      return {control_size() + modulo_input_size(num_velocity_bins), {}};
    case EventEncoding::kNote:
      return {control_size(), output_heads()};
  }
  return {};
}

std::vector<int> PerformanceConfig::output_heads() const {
  if (encoding != EventEncoding::kNote) return {num_event_classes()};
  static const NoteEncodingSizes s = note_encoding_sizes();
  return {s.shift_segments,  s.shift_per_segment, 128,
          num_velocity_bins, s.duration_segments, s.duration_per_segment};
}

int PerformanceConfig::magenta_input_size() const {
  if (encoding == EventEncoding::kOneHotIndex) return control_size() + 1;
  return input_layout().input_size();
}

int PerformanceConfig::compact_input_size() const {
  const InputLayout layout = input_layout();
  return layout.dense_size + layout.num_groups();
}

std::vector<std::string> PerformanceConfig::control_signal_names() const {
  std::vector<std::string> names;
  if (note_density) names.push_back("notes_per_second");
  if (pitch_histogram) names.push_back("pitch_class_histogram");
  return names;
}

int64_t PerformanceConfig::labels_to_num_steps(std::span<const int64_t> labels) const {
  int64_t steps = 0;
  if (encoding == EventEncoding::kNote) {
    static const NoteEncodingSizes s = note_encoding_sizes();
    const size_t n = labels.size() / 6;
    for (size_t i = 0; i < n; ++i) steps += labels[6 * i] * s.shift_per_segment + labels[6 * i + 1];
    if (n > 0) {
      steps += labels[6 * (n - 1) + 4] * s.duration_per_segment + labels[6 * (n - 1) + 5] + 1;
    }
    return steps;
  }
  for (int64_t label : labels) {
    if (label >= kFirstTimeShiftClass && label <= kNoEventClass) {
      steps += label - kTimeShiftOffset;
    }
  }
  return steps;
}

const std::vector<PerformanceConfig>& performance_configs() {
  using E = EventEncoding;
  static const std::vector<PerformanceConfig> configs = {
      {"performance", "performance", "Performance RNN", 0, E::kOneHot, false, false, false},
      {"performance_with_dynamics", "performance_with_dynamics", "Performance RNN with dynamics",
       32, E::kOneHot, false, false, false},
      {"performance_with_dynamics_compact", "performance_with_dynamics",
       "Performance RNN with dynamics (compact input)", 32, E::kOneHotIndex, false, false, false},
      {"performance_with_dynamics_and_modulo_encoding",
       "performance_with_dynamics_and_modulo_encoding",
       "Performance RNN with dynamics and modulo encoding", 32, E::kModulo, false, false, false},
      {"performance_with_dynamics_and_note_encoding", "performance_with_dynamics_and_note_encoding",
       "Performance RNN with dynamics and note encoding", 32, E::kNote, false, false, false},
      {"density_conditioned_performance_with_dynamics",
       "density_conditioned_performance_with_dynamics",
       "Note-density-conditioned Performance RNN + dynamics", 32, E::kOneHot, true, false, false},
      {"pitch_conditioned_performance_with_dynamics", "pitch_conditioned_performance_with_dynamics",
       "Pitch-histogram-conditioned Performance RNN", 32, E::kOneHot, false, true, false},
      {"multiconditioned_performance_with_dynamics", "multiconditioned_performance_with_dynamics",
       "Density- and pitch-conditioned Performance RNN", 32, E::kOneHot, true, true, false},
      {"optional_multiconditioned_performance_with_dynamics",
       "optional_multiconditioned_performance_with_dynamics",
       "Optionally multiconditioned Performance RNN", 32, E::kOneHot, true, true, true},
  };
  return configs;
}

const PerformanceConfig& find_performance_config(std::string_view name) {
  std::string valid;
  for (const auto& config : performance_configs()) {
    if (config.name == name) return config;
    valid += valid.empty() ? "" : ", ";
    valid += config.name;
  }
  throw UsageError("unknown config '" + std::string(name) + "'; valid configs: " + valid);
}

}  // namespace prnn
