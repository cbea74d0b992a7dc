// The table of Performance RNN configurations (Magenta's performance_model.py
// default_configs): name, generator id, velocity bins, event encoding, control signals,
// and everything derived from them (network input layout, output heads, input sizes).
//
// The table is immutable static data; safe to read from any thread.
// find_performance_config throws UsageError listing the valid names.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "performance/input_layout.h"
#include "performance/performance.h"

namespace prnn {

enum class EventEncoding {
  kOneHot,       // one-hot event vector (356 or 388 floats)
  kOneHotIndex,  // the class index as a single float (Magenta's "compact" config)
  kModulo,       // cos/sin embeddings (13 or 16 floats)
  kNote,         // note tuples, six one-hot heads
};

struct PerformanceConfig {
  std::string_view name;
  std::string_view generator_id;  // GeneratorDetails.id Magenta writes into bundles
  std::string_view description;
  int num_velocity_bins;
  EventEncoding encoding;
  bool note_density;           // conditioned on notes_per_second
  bool pitch_histogram;        // conditioned on pitch_class_histogram
  bool optional_conditioning;  // controls preceded by a "disable" flag

  bool note_performance() const { return encoding == EventEncoding::kNote; }
  bool has_control_signals() const { return note_density || pitch_histogram; }
  // Classes of the single-head (one-hot family) encodings: 356 or 388.
  int num_event_classes() const;
  // Floats of the control part: [disable flag] + [8 density classes] + [12 pitch classes].
  int control_size() const;
  // Dense prefix (controls, or the modulo encoding) then the one-hot groups.
  InputLayout input_layout() const;
  // Class count of each output head: {388} or the six note heads.
  std::vector<int> output_heads() const;
  int num_heads() const { return static_cast<int>(output_heads().size()); }
  // Width of Magenta's per-step input vector (e.g. 388, 409, 1, 16, 315).
  int magenta_input_size() const;
  // Width of our compact per-step input: dense floats then one index per group.
  int compact_input_size() const;
  // The "no event" label used by the event/no-event accuracies (TS max = 355).
  int no_event_class() const { return kNoEventClass; }
  // The control signal names Magenta's generator uses ("notes_per_second", ...).
  std::vector<std::string> control_signal_names() const;
  // Time steps covered by a label sequence (num_heads() values per step).
  int64_t labels_to_num_steps(std::span<const int64_t> labels) const;
};

// All nine configurations, in Magenta's order.
const std::vector<PerformanceConfig>& performance_configs();
// Throws UsageError naming the unknown config and listing the valid ones.
const PerformanceConfig& find_performance_config(std::string_view name);

// Note encoding segment sizes (note_seq's optimal split of a range into major/minor).
struct NoteEncodingSizes {
  int shift_segments, shift_per_segment;        // 13 x 77 for 0..1000
  int duration_segments, duration_per_segment;  // 25 x 40 for 1..1000
};
NoteEncodingSizes note_encoding_sizes(int max_shift_steps = 1000, int max_duration_steps = 1000);
// The first divisor i of n (1 <= i < n) minimising i + n/i.
int optimal_num_segments(int n);

}  // namespace prnn
