// Controls from a reference performance (generate --control_midi=FILE, "play like this
// piece"): the note density and pitch-class histogram a real performance has over time,
// computed as training computes them (sustain applied, quantized at 100 steps/s, one
// program, the values note_seq gives an event: notes per second in the 3 s window and
// seconds held per pitch class in the 5 s window starting at it).
//
// The schedule has one segment per second of the output, [k, k+1) s: segment k takes the
// values of the reference's first event at or after k s. A reference shorter than the
// output repeats from its start (period: its length in whole seconds, at least 1).
// Conditioning stays enabled. InputError naming `source` when the reference has no notes.
// Plain function.
#pragma once

#include <string>

#include "generate/performance_generator.h"
#include "proto/music.pb.h"

namespace prnn {

// `output_seconds`: the whole output's length (primer included), > 0.
ControlSchedule controls_from_performance(const magenta::NoteSequence& reference,
                                          double output_seconds, const std::string& source);

}  // namespace prnn
