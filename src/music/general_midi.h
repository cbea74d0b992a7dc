// General MIDI program names, spelled as pretty_midi spells them (note_seq names the
// tracks it writes with them, e.g. "Acoustic Grand Piano", "Lead 4 chiff").
#pragma once

#include <string_view>

namespace prnn {

// REQUIRES: 0 <= program < 128.
std::string_view general_midi_program_name(int program);

}  // namespace prnn
