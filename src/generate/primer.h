// The primer sequences of performance_rnn_generate, as the original builds them:
//   --primer_pitches: a chord, every pitch from 0 to 0.5 s (a quarter at 120 qpm), velocity
//     100; total_time 0.5; 220 ticks per quarter.
//   --primer_melody: note_seq's Melody: values 0–127 start a note, −1 ends it, −2 holds;
//     0.125 s per value (sixteenths at 120 qpm), velocity 100; a note still sounding ends
//     with the melody; total_time = the last note's end; one 120 qpm tempo.
// Values out of range throw UsageError naming the flag and the value.
#pragma once

#include <string>

#include "proto/music.pb.h"

namespace prnn {

magenta::NoteSequence primer_from_pitches(const std::string& flag_value);
magenta::NoteSequence primer_from_melody(const std::string& flag_value);

}  // namespace prnn
