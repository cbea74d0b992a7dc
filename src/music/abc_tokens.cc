#include "music/abc_tokens.h"

#include <array>
#include <cctype>

namespace prnn {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_note_letter(char c) { return (c >= 'A' && c <= 'G') || (c >= 'a' && c <= 'g'); }
bool is_bar_char(char c) { return c == '[' || c == ']' || c == '|'; }

size_t skip(std::string_view text, size_t position, bool (*predicate)(char)) {
  while (position < text.size() && predicate(text[position])) ++position;
  return position;
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// The note pattern at `position`: head, octave marks, length. Returns the end or nullopt.
std::optional<AbcToken> match_note(std::string_view text, size_t position) {
  const std::optional<AbcNoteHead> head = match_abc_note_head(text, position);
  if (!head) return std::nullopt;
  AbcToken token;
  token.kind = AbcToken::kNote;
  token.note = *head;
  size_t end = position + head->length;
  const size_t octaves_start = end;
  end = skip(text, end, [](char c) { return c == '\'' || c == ','; });
  token.group2 = text.substr(octaves_start, end - octaves_start);
  const size_t length_start = end;
  end = skip(text, end, is_digit);
  end = skip(text, end, [](char c) { return c == '/'; });
  end = skip(text, end, is_digit);
  token.group3 = text.substr(length_start, end - length_start);
  token.length = end - position;
  token.text = text.substr(position, token.length);
  return token;
}

std::optional<AbcToken> match_chord(std::string_view text, size_t position) {
  if (position >= text.size() || text[position] != '[') return std::nullopt;
  size_t end = position + 1;
  size_t notes = 0;
  while (const std::optional<AbcToken> note = match_note(text, end)) {
    end += note->length;
    ++notes;
  }
  if (notes == 0 || end >= text.size() || text[end] != ']') return std::nullopt;
  AbcToken token;
  token.kind = AbcToken::kChord;
  token.length = end + 1 - position;
  return token;
}

std::optional<AbcToken> match_broken_rhythm(std::string_view text, size_t position) {
  if (position >= text.size() || (text[position] != '<' && text[position] != '>')) return {};
  const char symbol = text[position];
  size_t end = position;
  while (end < text.size() && text[end] == symbol) ++end;
  AbcToken token;
  token.kind = AbcToken::kBrokenRhythm;
  token.length = end - position;
  token.group1 = text.substr(position, token.length);
  return token;
}

// \[([A-Za-z]):\s*([^\]]+)\]
std::optional<AbcToken> match_inline_field(std::string_view text, size_t position) {
  if (position + 3 >= text.size() || text[position] != '[' || !is_letter(text[position + 1]) ||
      text[position + 2] != ':') {
    return std::nullopt;
  }
  size_t content_start = skip(text, position + 3, is_space);
  const size_t close = text.find(']', position + 3);
  if (close == std::string_view::npos) return std::nullopt;
  // The content needs one character: give back a space if the spaces reach the bracket.
  if (content_start >= close) {
    if (close == position + 3) return std::nullopt;
    content_start = close - 1;
  }
  AbcToken token;
  token.kind = AbcToken::kInlineField;
  token.group1 = text.substr(position + 1, 1);
  token.group2 = text.substr(content_start, close - content_start);
  token.length = close + 1 - position;
  return token;
}

// (:*)[\[\]|]+\s*([0-9,-]+)
std::optional<AbcToken> match_variant_ending(std::string_view text, size_t position) {
  size_t end = skip(text, position, [](char c) { return c == ':'; });
  const size_t bars = end;
  end = skip(text, end, is_bar_char);
  if (end == bars) return std::nullopt;
  end = skip(text, end, is_space);
  const size_t numbers = end;
  end = skip(text, end, [](char c) { return is_digit(c) || c == ',' || c == '-'; });
  if (end == numbers) return std::nullopt;
  AbcToken token;
  token.kind = AbcToken::kVariantEnding;
  token.length = end - position;
  token.text = text.substr(position, token.length);
  return token;
}

// (:*)([\[\]|]+)(:*)
std::optional<AbcToken> match_bar(std::string_view text, size_t position) {
  const auto colon = [](char c) { return c == ':'; };
  const size_t bars = skip(text, position, colon);
  const size_t trailing = skip(text, bars, is_bar_char);
  if (trailing == bars) return std::nullopt;
  const size_t end = skip(text, trailing, colon);
  AbcToken token;
  token.kind = AbcToken::kBar;
  token.group1 = text.substr(position, bars - position);
  token.group2 = text.substr(bars, trailing - bars);
  token.group3 = text.substr(trailing, end - trailing);
  token.length = end - position;
  return token;
}

std::optional<AbcToken> match_colons(std::string_view text, size_t position) {
  const size_t end = skip(text, position, [](char c) { return c == ':'; });
  if (end == position) return std::nullopt;
  AbcToken token;
  token.kind = AbcToken::kColons;
  token.group1 = text.substr(position, end - position);
  token.length = end - position;
  return token;
}

std::optional<AbcToken> match_annotation(std::string_view text, size_t position) {
  if (position >= text.size() || text[position] != '"') return std::nullopt;
  const size_t close = text.find('"', position + 1);
  if (close == std::string_view::npos) return std::nullopt;
  AbcToken token;
  token.kind = AbcToken::kAnnotation;
  token.group1 = text.substr(position + 1, close - position - 1);
  token.length = close + 1 - position;
  return token;
}

AbcToken single(AbcToken::Kind kind, size_t length) {
  AbcToken token;
  token.kind = kind;
  token.length = length;
  return token;
}

}  // namespace

std::string_view abc_trim(std::string_view text) {
  size_t first = 0;
  while (first < text.size() && is_space(text[first])) ++first;
  size_t last = text.size();
  while (last > first && is_space(text[last - 1])) --last;
  return text.substr(first, last - first);
}

std::optional<AbcField> match_abc_field(std::string_view line) {
  if (line.size() < 2 || !is_letter(line[0]) || line[1] != ':') return std::nullopt;
  return AbcField{line[0], line.substr(skip(line, 2, is_space))};
}

std::optional<AbcNoteHead> match_abc_note_head(std::string_view text, size_t position) {
  // note_seq's (__|_|=|\^|\^\^)?([A-Ga-g]): the alternatives in order, each needing a letter.
  static constexpr std::array<std::string_view, 6> kAccidentals = {"__", "_", "=", "^", "^^", ""};
  for (const std::string_view accidental : kAccidentals) {
    if (text.substr(position, accidental.size()) != accidental) continue;
    const size_t letter = position + accidental.size();
    if (letter < text.size() && is_note_letter(text[letter])) {
      return AbcNoteHead{accidental, text[letter], accidental.size() + 1};
    }
  }
  return std::nullopt;
}

std::optional<AbcToken> next_abc_token(std::string_view line, size_t position) {
  if (auto token = match_note(line, position)) return token;
  if (auto token = match_chord(line, position)) return token;
  if (auto token = match_broken_rhythm(line, position)) return token;
  if (auto token = match_inline_field(line, position)) return token;
  if (auto token = match_variant_ending(line, position)) return token;
  if (auto token = match_bar(line, position)) return token;
  if (auto token = match_colons(line, position)) return token;
  if (auto token = match_annotation(line, position)) return token;
  const char c = line[position];
  const bool next_is_digit = position + 1 < line.size() && is_digit(line[position + 1]);
  if (std::string_view(".~HLMOPSTuv").find(c) != std::string_view::npos) {
    return single(AbcToken::kIgnored, 1);  // decoration
  }
  if ((c == '(' && !next_is_digit) || c == ')' || c == '-') return single(AbcToken::kIgnored, 1);
  if (c == '(') return single(AbcToken::kTuplet, 2);
  if (c == '\\' && position + 1 == line.size()) return single(AbcToken::kIgnored, 1);
  return std::nullopt;
}

std::optional<AbcKeyMatch> match_abc_key(std::string_view text) {
  if (text.empty() || !is_note_letter(text[0])) return std::nullopt;
  AbcKeyMatch match{text[0], {}, {}, 0};
  size_t position = skip(text, 1, is_space);
  if (position < text.size() && (text[position] == '#' || lower(text[position]) == 'b')) {
    match.accidental = text.substr(position, 1);
    ++position;
  }
  position = skip(text, position, is_space);
  static constexpr std::array<std::string_view, 10> kModes = {"maj", "ion", "min", "aeo", "mix",
                                                              "dor", "phr", "lyd", "loc", "m"};
  for (const std::string_view mode : kModes) {
    if (text.size() - position < mode.size()) continue;
    bool same = true;
    for (size_t i = 0; i < mode.size(); ++i) same = same && lower(text[position + i]) == mode[i];
    if (!same) continue;
    const size_t end = skip(text, position + mode.size(), [](char c) { return c != ' '; });
    match.mode = text.substr(position, end - position);
    position = end;
    break;
  }
  match.length = position;
  return match;
}

std::optional<AbcTempoMatch> match_abc_tempo(std::string_view text) {
  size_t position = 0;
  if (!text.empty() && text[0] == '"') {
    const size_t close = text.find('"', 1);
    if (close != std::string_view::npos) position = close + 1;
  }
  position = skip(text, position, is_space);
  AbcTempoMatch match;
  for (;;) {
    const size_t numerator = position;
    const size_t slash = skip(text, numerator, is_digit);
    if (slash == numerator || slash >= text.size() || text[slash] != '/') break;
    const size_t end = skip(text, slash + 1, is_digit);
    if (end == slash + 1) break;
    match.beats.emplace_back(text.substr(numerator, slash - numerator),
                             text.substr(slash + 1, end - slash - 1));
    position = skip(text, end, is_space);
  }
  if (match.beats.empty() || position >= text.size() || text[position] != '=') return std::nullopt;
  position = skip(text, position + 1, is_space);
  const size_t rate_end = skip(text, position, is_digit);
  if (rate_end == position) return std::nullopt;
  match.rate = text.substr(position, rate_end - position);
  return match;
}

std::optional<std::string_view> match_abc_bare_tempo(std::string_view text) {
  size_t position = 0;
  if (position < text.size() && text[position] == 'C') ++position;
  position = skip(text, position, is_space);
  if (position < text.size() && text[position] == '=') ++position;
  position = skip(text, position, is_space);
  const size_t end = skip(text, position, is_digit);
  if (end == position || end != text.size()) return std::nullopt;
  return text.substr(position, end - position);
}

bool is_abc_string_only_tempo(std::string_view text) {
  return text.size() >= 2 && text.front() == '"' && text.back() == '"' &&
         text.find('"', 1) == text.size() - 1;
}

}  // namespace prnn
