// ABC tunebook reader, following note_seq's abc_parser: the music code is scanned left to
// right by trying, at each position, the token kinds in note_seq's order (note, chord, broken
// rhythm, inline field, bar with variant ending, bar/repeat, colons, annotation, decoration,
// slur, tie, tuplet, line continuation); anything else is an error.
#include "music/abc_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "base/error.h"
#include "music/abc_tokens.h"
#include "music/sequences.h"

namespace prnn {
namespace {

using magenta::NoteSequence;
using Key = NoteSequence::KeySignature;

constexpr double kDefaultQpm = 120.0;
constexpr int kDefaultVelocity = 90;  // !mf!

// A tune note_seq's parser rejects; the message says what (the tune is named by the caller).
class TuneError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exact fraction for note lengths and tempo units; overflow is a TuneError.
struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 1;

  static Ratio make(__int128 numerator, __int128 denominator) {
    if (denominator == 0) throw TuneError("division by zero in a length");
    if (denominator < 0) {
      numerator = -numerator;
      denominator = -denominator;
    }
    __int128 a = numerator < 0 ? -numerator : numerator;
    __int128 b = denominator;
    while (b != 0) {
      const __int128 r = a % b;
      a = b;
      b = r;
    }
    if (a > 1) {
      numerator /= a;
      denominator /= a;
    }
    constexpr __int128 kLimit = int64_t{1} << 62;
    if (numerator > kLimit || numerator < -kLimit || denominator > kLimit) {
      throw TuneError("note length out of range");
    }
    return {static_cast<int64_t>(numerator), static_cast<int64_t>(denominator)};
  }
  Ratio operator*(const Ratio& other) const {
    return make(static_cast<__int128>(numerator) * other.numerator,
                static_cast<__int128>(denominator) * other.denominator);
  }
  Ratio operator/(const Ratio& other) const {
    return make(static_cast<__int128>(numerator) * other.denominator,
                static_cast<__int128>(denominator) * other.numerator);
  }
  Ratio operator+(const Ratio& other) const {
    return make(static_cast<__int128>(numerator) * other.denominator +
                    static_cast<__int128>(other.numerator) * denominator,
                static_cast<__int128>(denominator) * other.denominator);
  }
  double to_double() const {
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  bool operator==(const Ratio&) const = default;
};

// Parses an unsigned decimal of at most 9 digits (Python's int() on a short digit run).
int64_t small_int(std::string_view digits, std::string_view what) {
  const std::string_view trimmed = abc_trim(digits);
  std::string_view body = trimmed;
  bool negative = false;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || body.size() > 9 ||
      !std::all_of(body.begin(), body.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw TuneError("could not parse " + std::string(what) + ": '" + std::string(digits) + "'");
  }
  const int64_t value = std::stoll(std::string(body));
  return negative ? -value : value;
}

// Accidentals per letter A..G (index 0 = 'A').
using Accidentals = std::array<int, 7>;

Accidentals signature_accidentals(int sharps_or_flats) {
  Accidentals accidentals{};
  constexpr std::string_view kSharps = "FCGDAEB";
  constexpr std::string_view kFlats = "BEADGCF";
  for (int i = 0; i < std::abs(sharps_or_flats) && i < 7; ++i) {
    const char letter = sharps_or_flats > 0 ? kSharps[i] : kFlats[i];
    accidentals[letter - 'A'] = sharps_or_flats > 0 ? 1 : -1;
  }
  return accidentals;
}

struct ParsedKey {
  Accidentals accidentals;
  Key::Key key;
  Key::Mode mode;
};

// K: field. Key letter, optional #/b, optional mode word, then "exp" and/or explicit
// accidentals (^f _b =c).
ParsedKey parse_key(std::string_view text) {
  const std::optional<AbcKeyMatch> match = match_abc_key(text);
  if (!match) throw TuneError("could not parse key: " + std::string(text));
  const char tonic = static_cast<char>(std::toupper(static_cast<unsigned char>(match->tonic)));
  std::string accidental(match->accidental);
  if (!accidental.empty()) accidental[0] = static_cast<char>(std::tolower(accidental[0]));
  std::string mode_word;
  for (char c : match->mode.substr(0, 3)) {
    mode_word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  // Sharps (+) or flats (-) of the signature: the letter's major key, the accidental (7 per
  // sharp), and the mode's place on the line of fifths relative to major.
  static constexpr int kLetterFifths[7] = {3, 5, 0, 2, 4, -1, 1};  // A..G as major keys
  static constexpr int kLetterPitch[7] = {9, 11, 0, 2, 4, 5, 7};
  int mode_fifths = 0;
  Key::Mode mode = Key::MAJOR;
  if (mode_word.empty() || mode_word == "maj" || mode_word == "ion") {
  } else if (mode_word == "m" || mode_word == "min" || mode_word == "aeo") {
    mode_fifths = -3, mode = Key::MINOR;
  } else if (mode_word == "mix") {
    mode_fifths = -1, mode = Key::MIXOLYDIAN;
  } else if (mode_word == "dor") {
    mode_fifths = -2, mode = Key::DORIAN;
  } else if (mode_word == "phr") {
    mode_fifths = -4, mode = Key::PHRYGIAN;
  } else if (mode_word == "lyd") {
    mode_fifths = 1, mode = Key::LYDIAN;
  } else if (mode_word == "loc") {
    mode_fifths = -5, mode = Key::LOCRIAN;
  } else {
    throw TuneError("unknown mode in key: " + std::string(text));
  }
  const int alter = accidental == "#" ? 1 : accidental == "b" ? -1 : 0;
  const int signature = kLetterFifths[tonic - 'A'] + 7 * alter + mode_fifths;
  if (signature < -7 || signature > 7) {
    throw TuneError("key " + std::string(text) + " needs more than 7 sharps or flats");
  }
  const int tonic_pitch = (kLetterPitch[tonic - 'A'] + alter + 12) % 12;
  ParsedKey parsed{signature_accidentals(signature), static_cast<Key::Key>(tonic_pitch), mode};

  size_t position = match->length;
  const size_t exp = text.substr(position).find("exp");
  if (exp != std::string_view::npos) {
    parsed.accidentals = signature_accidentals(0);
    position += exp + 3;
  }
  while (position < text.size()) {
    const std::optional<AbcNoteHead> head = match_abc_note_head(text, position);
    if (!head) {
      ++position;
      continue;
    }
    position += head->length;
    const int letter = std::toupper(static_cast<unsigned char>(head->letter)) - 'A';
    if (head->accidental == "^") {
      parsed.accidentals[letter] = 1;
    } else if (head->accidental == "_") {
      parsed.accidentals[letter] = -1;
    } else if (head->accidental == "=") {
      parsed.accidentals[letter] = 0;
    } else if (!head->accidental.empty()) {
      throw TuneError("invalid accidental in key: " + std::string(head->accidental));
    }
  }
  return parsed;
}

// One tune: note_seq's ABCTune state machine.
class TuneParser {
 public:
  explicit TuneParser(const std::vector<std::string_view>& lines) {
    sequence_.mutable_source_info()->set_source_type(NoteSequence::SourceInfo::SCORE_BASED);
    sequence_.mutable_source_info()->set_encoding_type(NoteSequence::SourceInfo::ABC);
    sequence_.mutable_source_info()->set_parser(NoteSequence::SourceInfo::MAGENTA_ABC);
    sequence_.set_ticks_per_quarter(kTicksPerQuarter);
    accidentals_ = signature_accidentals(0);
    for (std::string_view line : lines) {
      const size_t comment = line.find('%');
      if (comment != std::string_view::npos) line = line.substr(0, comment);
      line = abc_trim(line);
      if (line.empty()) continue;
      if (const std::optional<AbcField> field = match_abc_field(line)) {
        parse_field(field->name, field->content);
        continue;
      }
      if (in_header_) {
        set_values_from_header();
        in_header_ = false;
      }
      parse_music(line);
    }
    if (in_header_) set_values_from_header();
    if (expected_repeats_) {
      throw TuneError("expected a repeat at the end of the tune, but there is none");
    }
    finalize_sections();
    if (sequence_.notes_size() > 0) {
      sequence_.set_total_time(sequence_.notes(sequence_.notes_size() - 1).end_time());
    }
  }

  NoteSequence& sequence() { return sequence_; }

 private:
  double qpm() const {
    return sequence_.tempos_size() > 0 ? sequence_.tempos(sequence_.tempos_size() - 1).qpm()
                                       : kDefaultQpm;
  }

  void set_values_from_header() {
    if (!unit_length_) {
      if (sequence_.time_signatures_size() == 0) {
        unit_length_ = Ratio{1, 8};
      } else {
        if (sequence_.time_signatures_size() != 1) {
          throw TuneError("multiple time signatures set in header");
        }
        const auto& signature = sequence_.time_signatures(0);
        const double ratio = static_cast<double>(signature.numerator()) / signature.denominator();
        unit_length_ = ratio < 0.75 ? Ratio{1, 16} : Ratio{1, 8};
      }
    }
    if (header_tempo_rate_) add_tempo(header_tempo_unit_, *header_tempo_rate_);
  }

  void add_tempo(std::optional<Ratio> unit, int64_t rate) {
    const Ratio beat = unit ? *unit : *unit_length_;
    const double qpm = (beat / Ratio{1, 4} * Ratio{rate, 1}).to_double();
    if (!(qpm > 0)) throw TuneError("tempo must be positive");
    auto* tempo = sequence_.add_tempos();
    tempo->set_time(time_);
    tempo->set_qpm(qpm);
  }

  // Returns the new section's id, or nullopt when the last section starts at `time`.
  std::optional<int64_t> add_section(double time) {
    auto& sections = *sequence_.mutable_section_annotations();
    if (sections.empty() && time > 0) {
      auto* first = sequence_.add_section_annotations();
      first->set_time(0);
      first->set_section_id(0);
    }
    int64_t id = 0;
    if (!sections.empty()) {
      if (sections[sections.size() - 1].time() == time) return std::nullopt;
      id = sections[sections.size() - 1].section_id() + 1;
    }
    auto* section = sequence_.add_section_annotations();
    section->set_time(time);
    section->set_section_id(id);
    return id;
  }

  // A group playing the section before the newest one `times` times.
  void add_group_for_previous_section(int64_t times) {
    const auto& sections = sequence_.section_annotations();
    if (sections.size() < 2) throw TuneError("repeat without a section to repeat");
    auto* group = sequence_.add_section_groups();
    group->add_sections()->set_section_id(sections[sections.size() - 2].section_id());
    group->set_num_times(times);
  }

  void finalize_sections() {
    auto& sections = *sequence_.mutable_section_annotations();
    if (!sections.empty() && sequence_.notes_size() > 0 &&
        sections[sections.size() - 1].time() ==
            sequence_.notes(sequence_.notes_size() - 1).end_time()) {
      sections.RemoveLast();
    }
    const auto& groups = sequence_.section_groups();
    if (!sections.empty() && !groups.empty() &&
        groups[groups.size() - 1].sections(0).section_id() !=
            sections[sections.size() - 1].section_id()) {
      auto* group = sequence_.add_section_groups();
      group->add_sections()->set_section_id(sections[sections.size() - 1].section_id());
      group->set_num_times(1);
    }
  }

  void apply_broken_rhythm(std::string_view broken) {
    if (sequence_.notes_size() < 2) {
      throw TuneError("cannot apply a broken rhythm with fewer than 2 notes");
    }
    auto* first = sequence_.mutable_notes(sequence_.notes_size() - 2);
    auto* second = sequence_.mutable_notes(sequence_.notes_size() - 1);
    const double first_length = first->end_time() - first->start_time();
    const double second_length = second->end_time() - second->start_time();
    if (first_length != second_length) {
      throw TuneError("cannot apply broken rhythm to two notes of different lengths");
    }
    const double shift =
        std::ldexp(first_length, -static_cast<int>(std::min<size_t>(broken.size(), 1100)));
    const double sign = broken[0] == '<' ? -1.0 : 1.0;
    first->set_end_time(first->end_time() + sign * shift);
    second->set_start_time(second->start_time() + sign * shift);
  }

  Ratio note_length(std::string_view text) const {
    Ratio length = *unit_length_;
    if (text.empty()) return length;
    const auto slashes = std::count(text.begin(), text.end(), '/');
    if (static_cast<size_t>(slashes) == text.size()) {
      if (slashes > 60) throw TuneError("note length '" + std::string(text) + "' too short");
      return length / Ratio{int64_t{1} << slashes, 1};
    }
    if (text.front() == '/') {
      return length / Ratio{small_int(text.substr(1), "note length"), 1};
    }
    if (slashes == 1) {
      const size_t slash = text.find('/');
      const int64_t numerator = small_int(text.substr(0, slash), "note length");
      const std::string_view denominator_text = text.substr(slash + 1);
      const int64_t denominator =
          denominator_text.empty() ? 2 : small_int(denominator_text, "note length");
      return length * Ratio::make(numerator, denominator);
    }
    if (slashes == 0) return length * Ratio{small_int(text, "note length"), 1};
    throw TuneError("could not parse note length: " + std::string(text));
  }

  void add_note(const AbcNoteHead& head, std::string_view octaves, std::string_view length) {
    static constexpr int kLetterPitch[7] = {69, 71, 60, 62, 64, 65, 67};  // A..G
    const bool lower = std::islower(static_cast<unsigned char>(head.letter));
    const int letter = std::toupper(static_cast<unsigned char>(head.letter)) - 'A';
    int pitch = kLetterPitch[letter] + (lower ? 12 : 0);
    if (!head.accidental.empty()) {
      // "^^" and "__" are double accidentals (note_seq rejects them).
      int change = 0;
      for (const char c : head.accidental) change += c == '^' ? 1 : c == '_' ? -1 : 0;
      pitch += change;
      bar_accidentals_[letter] = change;
    } else if (bar_accidentals_[letter]) {
      pitch += *bar_accidentals_[letter];
    } else {
      pitch += accidentals_[letter];
    }
    for (const char mark : octaves) pitch += mark == '\'' ? 12 : -12;
    if (pitch < 0 || pitch > 127) throw TuneError("pitch " + std::to_string(pitch) + " is invalid");
    auto* note = sequence_.add_notes();
    note->set_velocity(kDefaultVelocity);
    note->set_start_time(time_);
    note->set_pitch(pitch);
    const double quarters = (note_length(length) / Ratio{1, 4}).to_double();
    time_ += (1 / (qpm() / 60)) * quarters;
    note->set_end_time(time_);
  }

  void parse_bar(const AbcToken& token) {
    int64_t backward = 0;  // 0: none
    int64_t forward = 0;
    if (token.kind == AbcToken::kColons) {
      if (token.group1.size() % 2 != 0) {
        throw TuneError("colon-only repeats must be divisible by 2: " + std::string(token.group1));
      }
      backward = forward = static_cast<int64_t>(token.group1.size() / 2 + 1);
    } else {
      bar_accidentals_.fill(std::nullopt);
      const bool is_repeat = !token.group1.empty() || !token.group3.empty();
      if (!is_repeat) {
        if (token.group2.size() >= 2 && !expected_repeats_ && time_ > 0) {
          if (add_section(time_)) add_group_for_previous_section(1);
        }
        return;
      }
      if (!token.group1.empty()) backward = static_cast<int64_t>(token.group1.size()) + 1;
      if (!token.group3.empty()) forward = static_cast<int64_t>(token.group3.size()) + 1;
    }
    if (expected_repeats_ && backward != expected_repeats_) {
      throw TuneError("mismatched forward/backward repeat symbols: expected " +
                      std::to_string(expected_repeats_) + " but got " + std::to_string(backward));
    }
    const std::optional<int64_t> new_section = add_section(time_);
    if (backward) {
      if (time_ == 0) throw TuneError("cannot have a backward repeat at time 0");
      add_group_for_previous_section(backward);
    } else if (time_ > 0 && new_section) {
      add_group_for_previous_section(1);
    }
    expected_repeats_ = forward;
  }

  void parse_music(std::string_view line) {
    std::optional<std::string_view> broken_rhythm;
    size_t position = 0;
    while (position < line.size()) {
      const std::optional<AbcToken> token = next_abc_token(line, position);
      if (!token) {
        if (!std::isspace(static_cast<unsigned char>(line[position]))) {
          throw TuneError("unexpected character: [" + std::string(1, line[position]) + "]");
        }
        ++position;
        continue;
      }
      position += token->length;
      switch (token->kind) {
        case AbcToken::kNote:
          add_note(token->note, token->group2, token->group3);
          if (broken_rhythm) {
            apply_broken_rhythm(*broken_rhythm);
            broken_rhythm.reset();
          }
          break;
        case AbcToken::kChord:
          throw TuneError("chords are not supported (note_seq ChordError)");
        case AbcToken::kBrokenRhythm:
          if (broken_rhythm) throw TuneError("cannot specify a broken rhythm twice in a row");
          broken_rhythm = token->group1;
          break;
        case AbcToken::kInlineField:
          parse_field(token->group1[0], token->group2);
          break;
        case AbcToken::kVariantEnding:
          throw TuneError("variant ending " + std::string(token->text) +
                          " is not supported (note_seq VariantEndingError)");
        case AbcToken::kBar:
        case AbcToken::kColons:
          parse_bar(*token);
          break;
        case AbcToken::kAnnotation: {
          auto* annotation = sequence_.add_text_annotations();
          annotation->set_time(time_);
          annotation->set_text(std::string(token->group1));
          const bool chord =
              !token->group1.empty() &&
              std::string_view("ABCDEFGabcdefg").find(token->group1[0]) != std::string_view::npos;
          annotation->set_annotation_type(chord ? NoteSequence::TextAnnotation::CHORD_SYMBOL
                                                : NoteSequence::TextAnnotation::UNKNOWN);
          break;
        }
        case AbcToken::kTuplet:
          throw TuneError("tuplets are not supported (note_seq TupletError)");
        case AbcToken::kIgnored:
          break;
      }
    }
  }

  void parse_time_signature(std::string_view content) {
    auto* signature = sequence_.add_time_signatures();
    signature->set_time(time_);
    const std::string upper = [&] {
      std::string text(content);
      for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return text;
    }();
    if (upper == "C") {
      signature->set_numerator(4), signature->set_denominator(4);
    } else if (upper == "C|") {
      signature->set_numerator(2), signature->set_denominator(2);
    } else {
      const size_t slash = content.find('/');
      if (slash == std::string_view::npos) {
        throw TuneError("could not parse meter: " + std::string(content));
      }
      signature->set_numerator(static_cast<int32_t>(small_int(content.substr(0, slash), "meter")));
      signature->set_denominator(
          static_cast<int32_t>(small_int(content.substr(slash + 1), "meter")));
    }
  }

  void parse_tempo(std::string_view content) {
    std::optional<Ratio> unit;
    int64_t rate = 0;
    if (const std::optional<AbcTempoMatch> tempo = match_abc_tempo(content)) {
      Ratio sum{0, 1};
      for (const auto& [numerator, denominator] : tempo->beats) {
        sum = sum + Ratio::make(small_int(numerator, "tempo"), small_int(denominator, "tempo"));
      }
      unit = sum;
      rate = small_int(tempo->rate, "tempo");
    } else if (const std::optional<std::string_view> bare = match_abc_bare_tempo(content)) {
      rate = small_int(*bare, "tempo");
    } else if (is_abc_string_only_tempo(content)) {
      return;  // a tempo name without a rate: note_seq ignores it
    } else {
      throw TuneError("could not parse tempo: " + std::string(content));
    }
    if (in_header_) {
      header_tempo_unit_ = unit;
      header_tempo_rate_ = rate;
    } else {
      add_tempo(unit, rate);
    }
  }

  void parse_field(char name, std::string_view content) {
    switch (name) {
      case 'C':
        sequence_.mutable_sequence_metadata()->add_composers(std::string(content));
        if (sequence_.sequence_metadata().artist().empty()) {
          sequence_.mutable_sequence_metadata()->set_artist(std::string(content));
        }
        break;
      case 'K': {
        const ParsedKey key = parse_key(content);
        accidentals_ = key.accidentals;
        auto* signature = sequence_.add_key_signatures();
        signature->set_key(key.key);
        signature->set_mode(key.mode);
        signature->set_time(time_);
        break;
      }
      case 'L': {
        const size_t slash = content.find('/');
        const int64_t numerator = small_int(content.substr(0, slash), "unit note length");
        const int64_t denominator = slash == std::string_view::npos
                                        ? 1
                                        : small_int(content.substr(slash + 1), "unit note length");
        if (numerator < 0 || denominator <= 0) {
          throw TuneError("could not parse unit note length: " + std::string(content));
        }
        unit_length_ = Ratio::make(numerator, denominator);
        break;
      }
      case 'M': {
        std::string lower(content);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower != "none") parse_time_signature(content);
        break;
      }
      case 'P':
        throw TuneError("ABC parts are not supported (note_seq PartError)");
      case 'Q':
        parse_tempo(content);
        break;
      case 'T':
        if (!in_header_) break;  // note_seq ignores titles inside the tune body
        if (sequence_.sequence_metadata().title().empty()) {
          sequence_.mutable_sequence_metadata()->set_title(std::string(content));
        } else {
          sequence_.mutable_sequence_metadata()->set_title(sequence_.sequence_metadata().title() +
                                                           "; " + std::string(content));
        }
        break;
      case 'V':
        throw TuneError("multi-voice tunes are not supported (note_seq MultiVoiceError)");
      case 'X':
        sequence_.set_reference_number(small_int(content, "reference number"));
        break;
      default:
        break;  // other fields carry nothing note_seq keeps
    }
  }

  NoteSequence sequence_;
  double time_ = 0;
  Accidentals accidentals_{};
  std::array<std::optional<int>, 7> bar_accidentals_{};
  std::optional<Ratio> unit_length_;
  int64_t expected_repeats_ = 0;  // 0: none
  bool in_header_ = true;
  std::optional<Ratio> header_tempo_unit_;
  std::optional<int64_t> header_tempo_rate_;
};

// Lines as Python's str.splitlines() splits them (ASCII separators), each stripped.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool at_end = i == text.size();
    const char c = at_end ? '\n' : text[i];
    if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '\x1c' || c == '\x1d' ||
        c == '\x1e') {
      if (!(at_end && start == text.size()))
        lines.push_back(abc_trim(text.substr(start, i - start)));
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  return lines;
}

// "tune X:3" (or "tune 4 of the tunebook" when the tune has no X: line), for messages.
std::string tune_name(const std::vector<std::string_view>& lines, size_t index) {
  for (const std::string_view line : lines) {
    if (line.substr(0, 2) == "X:") {
      return "tune X:" + std::string(abc_trim(line.substr(2, line.find('%') - 2)));
    }
  }
  return "tune " + std::to_string(index + 1) + " of the tunebook";
}

}  // namespace

AbcParseResult abc_text_to_note_sequences(std::string_view text, const std::string& source_name) {
  std::vector<std::vector<std::string_view>> sections;
  std::vector<std::string_view> current;
  for (const std::string_view line : split_lines(text)) {
    if (line.empty()) {
      if (!current.empty()) sections.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(line);
    }
  }
  if (!current.empty()) sections.push_back(std::move(current));

  std::vector<std::string_view> header;
  if (sections.size() > 1 &&
      std::none_of(sections[0].begin(), sections[0].end(),
                   [](std::string_view line) { return line.substr(0, 2) == "X:"; })) {
    header = std::move(sections.front());
    sections.erase(sections.begin());
  }

  AbcParseResult result;
  std::set<int64_t> reference_numbers;
  for (size_t index = 0; index < sections.size(); ++index) {
    std::vector<std::string_view> lines = header;
    lines.insert(lines.end(), sections[index].begin(), sections[index].end());
    try {
      TuneParser parser(lines);
      const int64_t number = parser.sequence().reference_number();
      if (!reference_numbers.insert(number).second) {
        throw InputError(source_name + ": ABC reference number " + std::to_string(number) +
                         " appears more than once");
      }
      result.tunes.push_back({std::to_string(number), std::move(parser.sequence())});
    } catch (const TuneError& error) {
      result.errors.push_back(source_name + ": " + tune_name(sections[index], index) + ": " +
                              error.what());
    }
  }
  return result;
}

}  // namespace prnn
