// A piano roll (piano_roll.h) as a standalone SVG document: each note a <rect class="note">
// holding a <title> (pitch, velocity, start, end: shown as a tooltip by browsers), pedal
// intervals <rect class="pedal">, labels as <text>. Throws InputError for an unrenderable
// sequence. Pure functions.
#pragma once

#include <string>

#include "proto/music.pb.h"
#include "render/piano_roll.h"

namespace prnn {

std::string piano_roll_svg(const PianoRoll& roll);
std::string piano_roll_svg(const magenta::NoteSequence& sequence, const std::string& source);

}  // namespace prnn
