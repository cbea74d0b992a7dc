// The piano roll of a NoteSequence, laid out once and drawn as SVG (piano_roll_svg.h) or PNG
// (piano_roll_png.h). It follows note_seq.plot_sequence: one bar per note from its start to
// its end time at its pitch row, opacity from velocity, a colour per instrument, seconds on
// x, MIDI pitch on y with a labelled tick at every C, plus a sustain-pedal lane (CC 64 >= 64)
// under the roll. The width grows with the duration (40 px/s) between 640 and 2400 px, so
// a 30 s performance is 1200 px wide and a 10 minute one still fits a screen; the pitch
// range is the notes' range widened to whole octaves (at least two).
//
// The layout is a list of axis-aligned filled rectangles and text labels in pixels (y down).
// Throws InputError for an unrenderable sequence (render_input.h). Pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "proto/music.pb.h"

namespace prnn {

struct RollRect {
  double x, y, width, height;
  uint32_t rgb;  // 0xRRGGBB
  double opacity = 1.0;
  std::string title;  // notes: "pitch 60 (C4), velocity 80, 0.500–1.000 s"; else empty
  bool is_note = false;
  bool is_pedal = false;
};

struct RollText {
  double x, y;  // baseline point
  std::string text;
  enum Anchor { kStart, kMiddle, kEnd } anchor = kStart;
};

struct PianoRoll {
  int width = 0, height = 0;
  std::vector<RollRect> rects;  // in drawing order
  std::vector<RollText> texts;
};

inline constexpr int kRollFontSize = 10;  // px; the PNG font's glyphs are 7 px high

PianoRoll layout_piano_roll(const magenta::NoteSequence& sequence, const std::string& source);

// "C4" for 60 (scientific pitch notation, as note_seq's plot labels).
std::string pitch_name(int pitch);

}  // namespace prnn
