// MusicXML <harmony> to a lead-sheet chord figure ("Cmaj7", "F#dim7/A", "N.C."), the text
// note_seq stores as a CHORD_SYMBOL annotation: root + kind abbreviation + "(degree)"... +
// "/bass".
//
// Failure: an unknown kind, a missing root (other than "none" = N.C.), a bad alter or
// degree, or any root/bass while the part is transposed (note_seq does not transpose chord
// symbols) throws InputError prefixed by `where`. Pure function; thread-safe.
#pragma once

#include <pugixml.hpp>
#include <string>

namespace prnn {

std::string musicxml_chord_figure(const pugi::xml_node& harmony, bool part_is_transposed,
                                  const std::string& where);

}  // namespace prnn
