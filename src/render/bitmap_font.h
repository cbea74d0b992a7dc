// A 5x7 pixel font for the PNG piano roll's labels: digits, space, ':', '-', '.', '#', 's',
// the note letters A-G and the letters of "pedal". Any other character is drawn as a hollow
// box. Pure data.
#pragma once

namespace prnn {

inline constexpr int kGlyphWidth = 5, kGlyphHeight = 7, kGlyphAdvance = 6;

// Seven rows of five characters each ('#' = ink) for `c`.
const char* const* glyph_rows(char c);

}  // namespace prnn
