// ABC tunebooks to NoteSequences, one per tune, covering what note_seq's abc_parser handles.
//
// The text is split into sections at blank lines; a first section without "X:" is a header
// prepended to every tune. Each tune becomes a NoteSequence (SCORE_BASED / ABC / MAGENTA_ABC,
// 220 ticks per quarter) with notes, tempos (Q:), key (K:) and time (M:) signatures, chord and
// text annotations, and repeats as section_annotations plus section_groups (expand them with
// expand_section_groups() from music/section_groups.h to get the played order).
//
// A tune using something note_seq rejects (chords, tuplets, V: voices, P: parts, variant
// endings, bad repeats, rests, unknown characters, ...) does not stop the tunebook: its error
// is appended to `errors` (a message naming the source, the tune and what is wrong) and the
// other tunes are still returned. A reference number used twice throws InputError.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proto/music.pb.h"

namespace prnn {

struct AbcTune {
  std::string reference_number;  // the X: field as written (note_seq's dict key)
  magenta::NoteSequence sequence;
};

struct AbcParseResult {
  std::vector<AbcTune> tunes;       // in tunebook order
  std::vector<std::string> errors;  // one per tune that failed
};

AbcParseResult abc_text_to_note_sequences(std::string_view text, const std::string& source_name);

}  // namespace prnn
