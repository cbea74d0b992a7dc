// Operations on NoteSequences used by the dataset pipeline, online augmentation and
// generation, with note_seq's semantics (doc/magenta.md §4).
//
// All functions are pure: they take a sequence by const reference and return new
// sequences; they are thread-safe for distinct outputs. Outside input that the
// operation cannot handle (a quantized sequence where an unquantized one is needed, a
// non-finite or astronomically large time, a negative quantized step) throws
// InputError (NegativeTimeError for the latter) naming the problem; nothing is
// allocated in proportion to a time value.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/error.h"
#include "proto/music.pb.h"

namespace prnn {

// A note or event lands on a negative quantized step (note_seq's NegativeTimeError).
class NegativeTimeError : public InputError {
 public:
  using InputError::InputError;
};

// note_seq's STANDARD_PPQ: the ticks per quarter note of every NoteSequence we make.
inline constexpr int kTicksPerQuarter = 220;

// Sequences longer than this (in seconds) are rejected by split_note_sequence, so a
// huge time cannot turn into millions of segments.
inline constexpr double kMaxSequenceSeconds = 1e6;

bool is_quantized(const magenta::NoteSequence& sequence);

// Throws InputError if any note, control change, event time or total_time is NaN or
// infinite (such values cannot be ordered).
void check_finite_times(const magenta::NoteSequence& sequence);

// Extends notes held by the sustain pedal (CC `control_number`, on at value >= 64) per
// instrument; a re-struck pitch while the pedal is down ends the earlier note.
// REQUIRES an unquantized sequence (InputError otherwise).
magenta::NoteSequence apply_sustain_control_changes(const magenta::NoteSequence& sequence,
                                                    int control_number = 64);

// Multiplies every time by `factor` and divides tempos by it; 1.0 returns a copy.
magenta::NoteSequence stretch_note_sequence(const magenta::NoteSequence& sequence, double factor);

// In-place twin of stretch_note_sequence (for pipelines that own their copy).
void stretch_in_place(magenta::NoteSequence* sequence, double factor);

// Splits at 0, hop, 2·hop, … < total_time (plus total_time). Notes go to the segment
// holding their start and are clipped to its end; signatures, tempos, chords and
// CC 64/66/67 carry their last value into each segment at time 0. Empty if
// total_time <= 0.
std::vector<magenta::NoteSequence> split_note_sequence(const magenta::NoteSequence& sequence,
                                                       double hop_seconds);

// trunc(seconds·steps_per_second + 1 − cutoff). Throws InputError when the result does
// not fit in int64 (non-finite or huge times).
int64_t quantize_to_step(double seconds, double steps_per_second, double cutoff = 0.5);

// Absolute quantization (steps_per_second set, quantized steps of notes, CCs and text
// annotations; a zero-length note gets one step). Throws NegativeTimeError.
magenta::NoteSequence quantize_note_sequence_absolute(const magenta::NoteSequence& sequence,
                                                      int steps_per_second);

// In-place twin of quantize_note_sequence_absolute; on NegativeTimeError the sequence is
// left partly quantized.
void quantize_absolute_in_place(magenta::NoteSequence* sequence, int steps_per_second);

// Shifts every non-drum pitch by `amount`; nullopt if any lands outside
// [min_pitch, max_pitch] (the TranspositionPipeline's rule; amount 0 is checked too).
std::optional<magenta::NoteSequence> transpose_within_range(const magenta::NoteSequence& sequence,
                                                            int amount, int min_pitch = 0,
                                                            int max_pitch = 127);

// Keeps notes starting in [start, end), unshifted, ends clipped to `end`.
magenta::NoteSequence trim_note_sequence(const magenta::NoteSequence& sequence, double start,
                                         double end);

}  // namespace prnn
