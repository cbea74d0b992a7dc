// A piano roll (piano_roll.h) rasterised and encoded as an 8-bit RGB PNG through libpng:
// rectangles are filled with their opacity blended over white (edges covered partially are
// blended by coverage, so thin notes of long performances stay visible), labels use the 5x7
// font of bitmap_font.h. Throws InputError for an unrenderable sequence. Pure functions.
#pragma once

#include <string>

#include "proto/music.pb.h"
#include "render/piano_roll.h"

namespace prnn {

std::string piano_roll_png(const PianoRoll& roll);
std::string piano_roll_png(const magenta::NoteSequence& sequence, const std::string& source);

}  // namespace prnn
