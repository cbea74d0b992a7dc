// Event encodings of every configuration (doc/magenta.md §6): events to class indices
// and back, and per-step network inputs laid out as the config's InputLayout.
//
// A step's input is produced in two parts: `dense` (layout.dense_size floats: the
// control values, or the modulo embedding) and `onehot` (one class index per one-hot
// group). expand_magenta_input() turns them into Magenta's full float vector (the
// --onehot_inputs file layout); the compact file layout is dense ++ indices as floats.
//
// PerformanceEncoder is immutable after construction and thread-safe; the per-step
// functions do not allocate. REQUIRES: events are valid for the config (events built by
// Performance/NotePerformance are).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "performance/config.h"
#include "performance/control_signals.h"
#include "performance/note_performance.h"
#include "performance/performance.h"

namespace prnn {

// One-hot family (the offsets are in performance/performance.h): ON p → p,
// OFF p → 128+p, TS s → 255+s, VEL b → 255+max_shift+b.
int event_to_class(const PerformanceEvent& event, int max_shift_steps = kDefaultMaxShiftSteps);
// REQUIRES 0 <= index < num classes.
PerformanceEvent class_to_event(int index, int max_shift_steps = kDefaultMaxShiftSteps);
// Note encoding: (shift major, shift minor, pitch, bin − 1, duration major, minor).
// `sizes` defaults to the configuration's (shift 0–1000, duration 1–1000).
std::array<int, 6> note_event_to_classes(const NoteEvent& event,
                                         const NoteEncodingSizes& sizes = note_encoding_sizes());
NoteEvent classes_to_note_event(std::span<const int> classes,
                                const NoteEncodingSizes& sizes = note_encoding_sizes());

// One encoded example: T = events − 1 steps; input t encodes event t (and the controls
// of event t+1), label t is event t+1.
struct EncodedExample {
  int num_steps = 0;
  std::vector<float> dense;     // (T, D) with D = layout.dense_size
  std::vector<int32_t> onehot;  // (T, G) class index per one-hot group
  std::vector<int64_t> labels;  // (T, heads)
};

class PerformanceEncoder {
 public:
  explicit PerformanceEncoder(const PerformanceConfig& config);

  const PerformanceConfig& config() const { return config_; }
  const InputLayout& layout() const { return layout_; }

  // Inputs of one step. `controls` is required iff the config has control signals.
  // dense has layout().dense_size floats, onehot layout().num_groups() entries.
  void encode_input(const PerformanceEvent& event, const ControlValues* controls, float* dense,
                    int32_t* onehot) const;
  void encode_input(const NoteEvent& event, float* dense, int32_t* onehot) const;

  // Magenta's per-step input vector (config.magenta_input_size() floats).
  void expand_magenta_input(const float* dense, const int32_t* onehot, float* out) const;
  // The compact per-step vector (config.compact_input_size() floats).
  void compact_input(const float* dense, const int32_t* onehot, float* out) const;

  // Whole examples, as Magenta's EncoderPipeline makes them. For conditioned configs
  // the controls are extracted from the performance; `disable_conditioning` sets the
  // optional-conditioning flag.
  void encode(const Performance& performance, bool disable_conditioning, EncodedExample* out) const;
  void encode(const NotePerformance& performance, EncodedExample* out) const;

 private:
  void encode_controls(const ControlValues& controls, float* dense) const;
  void encode_modulo(const PerformanceEvent& event, float* out) const;

  const PerformanceConfig& config_;
  InputLayout layout_;
  NoteEncodingSizes sizes_;
};

}  // namespace prnn
