// What the renderers (WAV, piano roll) accept from a NoteSequence, checked once for both:
// every note has pitch and velocity 0..127, program 0..127, finite start >= 0 and end >= start;
// every control change has a finite time >= 0, number and value 0..127. A sequence that breaks
// one of these throws InputError naming `source` (a file or "NoteSequence"), the note or
// control change (its index) and the value. Sequences longer than kMaxRenderSeconds are
// rejected (a WAV file cannot hold more than 4 GB). Pure functions.
#pragma once

#include <string>

#include "proto/music.pb.h"

namespace prnn {

inline constexpr double kMaxRenderSeconds = 6 * 3600.0;

void check_renderable(const magenta::NoteSequence& sequence, const std::string& source);

// The time the music ends: the latest note end or control change (total_time is not
// trusted: readers and generators may leave it 0).
double music_end_time(const magenta::NoteSequence& sequence);

}  // namespace prnn
