// Lexical matchers for ABC notation, reproducing the regular expressions of note_seq's
// abc_parser by hand (no std::regex: its recursion can overflow the stack on long lines).
// Every matcher looks at `text` from `position` only and returns nullopt when its token
// does not start there. Whitespace and digits are ASCII. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace prnn {

// Python's str.strip() for ASCII whitespace.
std::string_view abc_trim(std::string_view text);

// "X: content" at the start of a line: ([A-Za-z]):\s*(.*)
struct AbcField {
  char name;
  std::string_view content;
};
std::optional<AbcField> match_abc_field(std::string_view line);

// An optional accidental (__ _ = ^ ^^) followed by a note letter A-G/a-g.
struct AbcNoteHead {
  std::string_view accidental;
  char letter = 'C';
  size_t length = 0;
};
std::optional<AbcNoteHead> match_abc_note_head(std::string_view text, size_t position);

// One token of a music line.
struct AbcToken {
  enum Kind {
    kNote,           // note; group2 = octave marks, group3 = length ("3/2", "/", "2")
    kChord,          // [CEG]
    kBrokenRhythm,   // group1 = "<<" or ">"
    kInlineField,    // [K: G]; group1 = name, group2 = content
    kVariantEnding,  // |1 :|2 [1; text = the whole token
    kBar,            // group1 = leading colons, group2 = bar characters, group3 = trailing colons
    kColons,         // group1 = colons not attached to a bar
    kAnnotation,     // "text"; group1 = text
    kTuplet,         // (3
    kIgnored,        // decoration, slur, tie, line continuation
  };
  Kind kind = kIgnored;
  size_t length = 0;
  std::string_view text;
  std::string_view group1;
  std::string_view group2;
  std::string_view group3;
  AbcNoteHead note;
};
std::optional<AbcToken> next_abc_token(std::string_view line, size_t position);

// K: field start: ([A-G])\s*([#b]?)\s*((?:maj|ion|min|aeo|mix|dor|phr|lyd|loc|m)[^ ]*)?
// case-insensitively.
struct AbcKeyMatch {
  char tonic;
  std::string_view accidental;
  std::string_view mode;
  size_t length = 0;
};
std::optional<AbcKeyMatch> match_abc_key(std::string_view text);

// Q: forms. `"Allegro" 1/4 3/8=60` (beats and rate), `C=120` or `120` (rate in unit notes),
// `"Allegro"` (name only).
struct AbcTempoMatch {
  std::vector<std::pair<std::string_view, std::string_view>> beats;  // numerator, denominator
  std::string_view rate;
};
std::optional<AbcTempoMatch> match_abc_tempo(std::string_view text);
std::optional<std::string_view> match_abc_bare_tempo(std::string_view text);
bool is_abc_string_only_tempo(std::string_view text);

}  // namespace prnn
