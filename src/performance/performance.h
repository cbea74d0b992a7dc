// Performance: a polyphonic piece as note_seq's absolute-time event list
// (doc/magenta.md §5): NOTE_ON/NOTE_OFF pitch 0–127, TIME_SHIFT 1–max_shift steps of
// 1/steps_per_second s, VELOCITY bin 1–num_velocity_bins.
//
// A Performance is a plain value (copyable, not thread-safe for concurrent mutation).
// Building one from a quantized NoteSequence throws InputError when a note cannot be
// represented (pitch outside 0–127, an unquantized sequence); velocities outside 1–127
// are clamped into range before binning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proto/music.pb.h"

namespace prnn {

enum class EventType : uint8_t { kNoteOn = 1, kNoteOff = 2, kTimeShift = 3, kVelocity = 4 };

struct PerformanceEvent {
  EventType type;
  int value;
  bool operator==(const PerformanceEvent&) const = default;
};

// "ON60", "OFF60", "TS10", "VEL5": the notation of doc/magenta.md §5.
std::string to_string(const PerformanceEvent& event);
// Space-separated to_string of each event.
std::string events_to_string(const std::vector<PerformanceEvent>& events);

inline constexpr int kDefaultMaxShiftSteps = 100;

// The one-hot event classes (Magenta's PerformanceOneHotEncoding, 128 pitches): NOTE_ON p
// is class p, NOTE_OFF p is kNoteOffOffset + p, TIME_SHIFT s (1..max_shift) is
// kTimeShiftOffset + s, VELOCITY b (1..bins) is kTimeShiftOffset + max_shift + b. With the
// default 100 shift steps the time shifts are 256..355 and the velocities start at 356.
inline constexpr int kNumPitches = 128;
inline constexpr int kNoteOffOffset = kNumPitches;            // 128
inline constexpr int kTimeShiftOffset = 2 * kNumPitches - 1;  // 255: TS 1 is class 256
inline constexpr int kFirstTimeShiftClass = kTimeShiftOffset + 1;
// The longest time shift at the default shift steps (355): the "no event" label of the
// event/no-event accuracies.
inline constexpr int kNoEventClass = kTimeShiftOffset + kDefaultMaxShiftSteps;
inline constexpr int kStepsPerSecond = 100;
inline constexpr double kDefaultMaxNoteDurationSeconds = 5.0;

// Velocity binning: bin size ceil(127/bins); a bin decodes to its lowest velocity.
// REQUIRES 1 <= num_bins <= 127.
int velocity_to_bin(int velocity, int num_bins);
int velocity_bin_to_velocity(int bin, int num_bins);

// The program/is_drum note_seq attaches to an event list: all drums (or no notes) →
// (none, true); no drums → (the single program or none, false); mixed → (none, none).
struct ProgramInfo {
  std::optional<int> program;
  std::optional<bool> is_drum;
};
ProgramInfo program_and_is_drum(const magenta::NoteSequence& sequence);

// The notes of a quantized sequence that start at or after start_step, in the order the
// extractors emit them: by start time in seconds, then pitch (stable). Throws InputError for
// a pitch outside 0-127.
std::vector<const magenta::NoteSequence::Note*> notes_in_event_order(
    const magenta::NoteSequence& quantized, int64_t start_step);

class Performance {
 public:
  Performance(int start_step, int num_velocity_bins, int max_shift_steps = kDefaultMaxShiftSteps,
              int steps_per_second = kStepsPerSecond);

  // Events of the notes of an absolutely quantized sequence starting at or after
  // `start_step` (all instruments merged). Throws InputError (see the file comment).
  static Performance from_quantized_sequence(const magenta::NoteSequence& quantized, int start_step,
                                             int num_velocity_bins,
                                             int max_shift_steps = kDefaultMaxShiftSteps);

  const std::vector<PerformanceEvent>& events() const { return events_; }
  std::vector<PerformanceEvent>& mutable_events() { return events_; }
  size_t size() const { return events_.size(); }
  const PerformanceEvent& operator[](size_t i) const { return events_[i]; }
  void append(PerformanceEvent event) { events_.push_back(event); }

  int start_step() const { return start_step_; }
  int num_velocity_bins() const { return num_velocity_bins_; }
  int max_shift_steps() const { return max_shift_steps_; }
  int steps_per_second() const { return steps_per_second_; }
  const ProgramInfo& program_info() const { return program_info_; }
  void set_program_info(ProgramInfo info) { program_info_ = info; }

  // Sum of the time shifts; end_step = start_step + num_steps.
  int64_t num_steps() const;
  int64_t end_step() const { return start_step_ + num_steps(); }
  // The step at which each event happens (before its own shift is applied).
  std::vector<int64_t> steps() const;
  // Keeps the first `num_events` events.
  void truncate(size_t num_events);
  // Pads with time shifts (topping up a trailing one first) or removes events from the
  // end (shortening the last shift) until num_steps() == steps.
  void set_length(int64_t steps);

  // Decodes to notes: an OFF without an open ON is ignored, zero-length notes are
  // dropped, a note longer than max_note_duration seconds is shortened (5 s by default,
  // as Magenta's generator uses; 0 keeps every length, as note_seq's own default).
  // Velocity is `velocity` until the first VELOCITY event; program defaults to this
  // performance's (else 0).
  magenta::NoteSequence to_sequence(
      int velocity = 100, int instrument = 0, std::optional<int> program = std::nullopt,
      double max_note_duration = kDefaultMaxNoteDurationSeconds) const;

 private:
  int start_step_;
  int num_velocity_bins_;
  int max_shift_steps_;
  int steps_per_second_;
  ProgramInfo program_info_;
  std::vector<PerformanceEvent> events_;
};

}  // namespace prnn
