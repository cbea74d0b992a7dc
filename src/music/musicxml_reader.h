// MusicXML (.xml, .musicxml) and compressed MusicXML (.mxl) to NoteSequence.
//
// Follows note_seq's musicxml_reader (times in seconds from <sound tempo>, velocity from
// <sound dynamics>, default 64, part-list MIDI channel/program used verbatim, 220 ticks per
// quarter, per-measure time-signature fix-up) except where note_seq is wrong about what the
// score means; doc/musicxml.md lists every deviation (ties merged, modes kept, B#/Cb octave,
// grace notes at their place, one tempo map for all parts, ...).
//
// Failure: a malformed file or a construct note_seq rejects (alternating or composite
// meters, two <time> in a measure, unpitched notes, a key without <fifths>, bad chord
// symbols, ...) throws InputError whose message names the file, the place (part, measure)
// and what is wrong. Memory is bounded by the input (see mxl_container.h for zips).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "proto/music.pb.h"

namespace prnn {

struct MusicXmlOptions {
  // Play repeat barlines and volta endings (<repeat>, <ending>) as written out, as the MIDI of
  // a score would. note_seq never unrolls; the default keeps the score as written.
  bool unroll_repeats = false;
};

// Reads the file; a zip archive (.mxl) is recognised by its signature, not by the extension.
magenta::NoteSequence musicxml_file_to_note_sequence(const std::string& path,
                                                     const MusicXmlOptions& options = {});

// `bytes` holds MusicXML text or an .mxl zip (detected by its signature). `source_name`
// appears in error messages.
magenta::NoteSequence musicxml_bytes_to_note_sequence(std::string_view bytes,
                                                      const std::string& source_name,
                                                      const MusicXmlOptions& options = {});

}  // namespace prnn
