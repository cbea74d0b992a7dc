// NotePerformance: note_seq's note-tuple representation (doc/magenta.md §5 "Variants"),
// used by the performance_with_dynamics_and_note_encoding config. Each event is one note:
// (time shift from the previous onset, pitch, velocity bin, duration in steps).
//
// A plain value; building one throws TooManyTimeShiftStepsError or
// TooManyDurationStepsError (InputErrors) when a shift or duration exceeds the maximum,
// and InputError for a pitch outside 0–127.
#pragma once

#include <cstdint>
#include <vector>

#include "base/error.h"
#include "performance/performance.h"
#include "proto/music.pb.h"

namespace prnn {

class TooManyTimeShiftStepsError : public InputError {
 public:
  using InputError::InputError;
};
class TooManyDurationStepsError : public InputError {
 public:
  using InputError::InputError;
};

struct NoteEvent {
  int time_shift;    // 0..max_shift_steps, steps since the previous onset
  int pitch;         // 0..127
  int velocity_bin;  // 1..num_velocity_bins
  int duration;      // steps (the encoding needs 1..max_duration_steps)
  bool operator==(const NoteEvent&) const = default;
};

inline constexpr int kNoteMaxShiftSteps = 1000;
inline constexpr int kNoteMaxDurationSteps = 1000;

class NotePerformance {
 public:
  NotePerformance(int start_step, int num_velocity_bins, int steps_per_second = kStepsPerSecond)
      : start_step_(start_step),
        num_velocity_bins_(num_velocity_bins),
        steps_per_second_(steps_per_second) {}

  static NotePerformance from_quantized_sequence(const magenta::NoteSequence& quantized,
                                                 int start_step, int num_velocity_bins,
                                                 int max_shift_steps = kNoteMaxShiftSteps,
                                                 int max_duration_steps = kNoteMaxDurationSteps);

  const std::vector<NoteEvent>& events() const { return events_; }
  size_t size() const { return events_.size(); }
  const NoteEvent& operator[](size_t i) const { return events_[i]; }
  void append(NoteEvent event) { events_.push_back(event); }
  void truncate(size_t num_events) {
    if (events_.size() > num_events) events_.resize(num_events);
  }
  int start_step() const { return start_step_; }
  int num_velocity_bins() const { return num_velocity_bins_; }
  const ProgramInfo& program_info() const { return program_info_; }

  // Σ time shifts + the last note's duration.
  int64_t num_steps() const;
  // Ends the performance at `steps` after its start (ours, for generation: Magenta's
  // set_length is a no-op here): drops the notes starting at or after it and shortens the
  // others to end by it.
  void trim_to_steps(int64_t steps);
  // One note per event (the maximum note duration does not apply).
  magenta::NoteSequence to_sequence(int instrument = 0,
                                    std::optional<int> program = std::nullopt) const;

 private:
  int start_step_;
  int num_velocity_bins_;
  int steps_per_second_;
  ProgramInfo program_info_;
  std::vector<NoteEvent> events_;
};

}  // namespace prnn
