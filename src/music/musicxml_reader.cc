// MusicXML to NoteSequence. Each part is read into score positions (quarter notes from the
// start); one tempo map built from every part's <sound tempo> then turns positions into
// seconds, so a tempo change applies to all parts at the same place in the score.
#include "music/musicxml_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <pugixml.hpp>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "music/musicxml_chord_symbol.h"
#include "music/musicxml_repeats.h"
#include "music/mxl_container.h"
#include "music/sequences.h"
#include "music/xml_text.h"

namespace prnn {
namespace {

constexpr double kDefaultQpm = 120.0;
constexpr int kDefaultVelocity = 64;
constexpr int64_t kMaxDivisions = int64_t{1} << 30;
constexpr int64_t kMaxDuration = int64_t{1} << 40;
constexpr double kMaxQuarters = 1e8;  // a score position beyond this is not a real score
constexpr int64_t kMaxTupletNotes = 1000;
constexpr int kMaxDots = 8;
constexpr double kSamePosition = 1e-9;  // quarters; positions closer than this coincide

using Key = magenta::NoteSequence::KeySignature;

// A reduced fraction with a positive denominator.
struct Fraction {
  int64_t numerator = 0;
  int64_t denominator = 1;
  static Fraction reduced(int64_t numerator, int64_t denominator) {
    const int64_t divisor = std::gcd(numerator, denominator);
    return divisor == 0 ? Fraction{0, 1} : Fraction{numerator / divisor, denominator / divisor};
  }
  bool operator==(const Fraction&) const = default;
};

struct TimeSignatureMark {
  int64_t numerator = 0;
  int64_t denominator = 1;
  double position = 0;  // quarters
};

struct KeyMark {
  int written_tonic = 0;  // pitch class of the written key's tonic
  Key::Mode mode = Key::MAJOR;
  double position = 0;
};

struct TempoMark {
  double qpm = kDefaultQpm;
  double position = 0;
  size_t part = 0;
};

struct ChordMark {
  std::string figure;
  double position = 0;
};

// A sounding note in score positions.
struct ScoreNote {
  int pitch = 0;
  int velocity = kDefaultVelocity;
  int voice = 1;
  double start = 0;     // quarters
  double duration = 0;  // quarters
  Fraction value;       // written note value (1/4 = quarter), 0/1 for grace notes
};

// Everything read from one <part>.
struct PartContent {
  std::string name;
  int channel = 0;
  int program = 0;
  std::vector<ScoreNote> notes;
  std::vector<TimeSignatureMark> time_signatures;  // one per measure that has or gets one
  std::vector<KeyMark> keys;                       // concert pitch
  std::vector<TempoMark> tempos;
  std::vector<ChordMark> chords;
  double end = 0;  // final cursor, quarters
  size_t measure_count = 0;
};

struct ScorePartInfo {
  std::string name;
  int channel = 0;
  int program = 0;
};

// Note values by <type>, as a fraction of a whole note.
std::optional<Fraction> note_type_value(std::string_view type) {
  static const std::pair<std::string_view, Fraction> kTypes[] = {
      {"maxima", {8, 1}},  {"long", {4, 1}},     {"breve", {2, 1}},   {"whole", {1, 1}},
      {"half", {1, 2}},    {"quarter", {1, 4}},  {"eighth", {1, 8}},  {"16th", {1, 16}},
      {"32nd", {1, 32}},   {"64th", {1, 64}},    {"128th", {1, 128}}, {"256th", {1, 256}},
      {"512th", {1, 512}}, {"1024th", {1, 1024}}};
  for (const auto& [name, value] : kTypes) {
    if (name == type) return value;
  }
  return {};
}

// Tonic offset (semitones above the major tonic of the same signature) and proto mode.
std::pair<int, Key::Mode> key_mode(std::string_view mode) {
  if (mode == "minor" || mode == "aeolian") return {9, Key::MINOR};
  if (mode == "dorian") return {2, Key::DORIAN};
  if (mode == "phrygian") return {4, Key::PHRYGIAN};
  if (mode == "lydian") return {5, Key::LYDIAN};
  if (mode == "mixolydian") return {7, Key::MIXOLYDIAN};
  if (mode == "locrian") return {11, Key::LOCRIAN};
  return {0, Key::MAJOR};
}

int positive_mod12(int64_t value) { return static_cast<int>(((value % 12) + 12) % 12); }

// Score position (quarters) to seconds. Starts at 120 qpm; a mark at position <= 0 replaces
// that. Positions before 0 extrapolate the first tempo.
class TempoMap {
 public:
  explicit TempoMap(const std::vector<TempoMark>& sorted_marks) {
    segments_.push_back({0.0, kDefaultQpm, 0.0});
    for (const TempoMark& mark : sorted_marks) {
      Segment& last = segments_.back();
      if (mark.position <= last.position + kSamePosition) {
        last.qpm = mark.qpm;
        continue;
      }
      const double seconds = last.seconds + (mark.position - last.position) * 60.0 / last.qpm;
      segments_.push_back({mark.position, mark.qpm, seconds});
    }
  }

  double seconds(double quarters) const {
    auto after = std::upper_bound(segments_.begin(), segments_.end(), quarters,
                                  [](double q, const Segment& s) { return q < s.position; });
    const Segment& segment = after == segments_.begin() ? segments_.front() : *(after - 1);
    return segment.seconds + (quarters - segment.position) * 60.0 / segment.qpm;
  }

 private:
  struct Segment {
    double position;
    double qpm;
    double seconds;
  };
  std::vector<Segment> segments_;
};

// Reads one part measure by measure. Holds the parser state note_seq keeps per part.
class PartReader {
 public:
  PartReader(std::string source_name, std::string part_id, int64_t& divisions)
      : source_name_(std::move(source_name)), part_id_(std::move(part_id)), divisions_(divisions) {}

  void read(const std::vector<pugi::xml_node>& measures, const std::vector<size_t>& order,
            PartContent& content) {
    content_ = &content;
    for (const size_t index : order) read_measure(measures[index]);
    content.end = cursor_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw InputError(where() + ": " + what); }

  std::string where() const {
    return source_name_ + ": part '" + part_id_ + "', measure '" + measure_number_ + "'";
  }

  int64_t child_int(const pugi::xml_node& parent, const char* tag, int64_t low,
                    int64_t high) const {
    const pugi::xml_node node = parent.child(tag);
    if (!node) fail(std::string("<") + parent.name() + "> without <" + tag + ">");
    return node_int(node, low, high);
  }

  int64_t node_int(const pugi::xml_node& node, int64_t low, int64_t high) const {
    const std::optional<int64_t> value = parse_xml_int(node.child_value());
    if (!value || *value < low || *value > high) {
      fail(std::string("<") + node.name() + "> '" + node.child_value() + "' is not an integer in " +
           std::to_string(low) + ".." + std::to_string(high));
    }
    return *value;
  }

  double quarters(int64_t duration) const {
    return static_cast<double>(duration) / static_cast<double>(divisions_);
  }

  void move_cursor(double delta) {
    cursor_ += delta;
    if (std::abs(cursor_) > kMaxQuarters) fail("score position beyond 1e8 quarter notes");
  }

  void read_measure(const pugi::xml_node& measure) {
    measure_number_ = measure.attribute("number").value();
    measure_start_ = cursor_;
    measure_voice1_duration_ = 0;
    measure_time_.reset();
    measure_key_.reset();

    // note_seq's repair: a measure holding no note and exactly one <forward> is a whole-measure
    // rest of that length, played at the end of the measure.
    const bool empty_measure = !measure.child("note") && measure.child("forward") &&
                               !measure.child("forward").next_sibling("forward");
    for (const pugi::xml_node child : measure.children()) {
      const std::string_view tag = child.name();
      if (tag == "attributes") {
        read_attributes(child);
      } else if (tag == "backup") {
        move_cursor(-quarters(child_int(child, "duration", 0, kMaxDuration)));
      } else if (tag == "forward") {
        if (!empty_measure) move_cursor(quarters(child_int(child, "duration", 0, kMaxDuration)));
      } else if (tag == "direction") {
        read_direction(child);
      } else if (tag == "note") {
        read_note(child);
      } else if (tag == "harmony") {
        read_harmony(child);
      }
    }
    if (empty_measure) {
      const int64_t rest = child_int(measure.child("forward"), "duration", 0, kMaxDuration);
      measure_voice1_duration_ += rest;
      previous_note_ = PreviousNote{cursor_, rest};
      move_cursor(quarters(rest));
    }
    fix_time_signature();
    if (measure_time_) content_->time_signatures.push_back(*measure_time_);
    if (measure_key_) {
      // The key is written pitch; a transposing part sounds `transpose_` semitones away.
      KeyMark key = *measure_key_;
      key.written_tonic = positive_mod12(key.written_tonic + transpose_);
      content_->keys.push_back(key);
    }
  }

  void read_attributes(const pugi::xml_node& attributes) {
    for (const pugi::xml_node child : attributes.children()) {
      const std::string_view tag = child.name();
      if (tag == "divisions") {
        divisions_ = node_int(child, 1, kMaxDivisions);
      } else if (tag == "key") {
        if (!child.child("fifths")) fail("key signature without <fifths>");
        const int64_t fifths = child_int(child, "fifths", -1000, 1000);
        const auto [offset, mode] = key_mode(trim_xml_space(child.child("mode").child_value()));
        measure_key_ = KeyMark{positive_mod12(7 * fifths + offset), mode, cursor_};
      } else if (tag == "time") {
        if (measure_time_) fail("two time signatures in one measure");
        measure_time_ = read_time(child);
        current_time_ = measure_time_;
      } else if (tag == "transpose") {
        transpose_ = static_cast<int>(child_int(child, "chromatic", -127, 127));
      }
    }
  }

  TimeSignatureMark read_time(const pugi::xml_node& time) const {
    const auto count = [&](const char* tag) {
      return std::distance(time.children(tag).begin(), time.children(tag).end());
    };
    if (count("beats") > 1 || count("beat-type") > 1) {
      fail("alternating time signatures are not supported");
    }
    if (!time.child("beats") || !time.child("beat-type")) {
      fail("time signature without <beats> and <beat-type>");
    }
    const auto beats = parse_xml_int(time.child("beats").child_value());
    const auto beat_type = parse_xml_int(time.child("beat-type").child_value());
    if (!beats || !beat_type || *beats < 0 || *beats > 1000000 || *beat_type < 1 ||
        *beat_type > 1000000) {
      fail(std::string("cannot parse time signature ") + time.child("beats").child_value() + "/" +
           time.child("beat-type").child_value());
    }
    return {*beats, *beat_type, cursor_};
  }

  void read_direction(const pugi::xml_node& direction) {
    for (const pugi::xml_node sound : direction.children("sound")) {
      if (const pugi::xml_attribute tempo = sound.attribute("tempo")) {
        std::optional<double> qpm = parse_xml_double(tempo.value());
        if (qpm && *qpm == 0) qpm = kDefaultQpm;
        if (!qpm || *qpm < 0.1 || *qpm > 100000) {
          fail(std::string("tempo '") + tempo.value() + "' is not a number in 0.1..100000");
        }
        content_->tempos.push_back({*qpm, cursor_, 0});
      }
      if (const pugi::xml_attribute dynamics = sound.attribute("dynamics")) {
        const std::optional<double> value = parse_xml_double(dynamics.value());
        if (!value) fail(std::string("dynamics '") + dynamics.value() + "' is not a number");
        velocity_ = static_cast<int>(std::clamp(*value, 0.0, 127.0));
      }
    }
  }

  void read_harmony(const pugi::xml_node& harmony) {
    double position = cursor_;
    if (const pugi::xml_node offset = harmony.child("offset")) {
      const std::optional<int64_t> value = parse_xml_int(offset.child_value());
      if (!value || std::abs(*value) > kMaxDuration) {
        fail(std::string("bad chord symbol: non-integer offset '") + offset.child_value() + "'");
      }
      position += quarters(*value);
    }
    content_->chords.push_back(
        {musicxml_chord_figure(harmony, transpose_ != 0, where()), position});
  }

  int read_pitch(const pugi::xml_node& pitch) const {
    static constexpr std::string_view kSteps = "C?D?EF?G?A?B";
    const std::string_view step = pitch.child("step").child_value();
    if (step.size() != 1 || kSteps.find(step[0]) == std::string_view::npos || step[0] == '?') {
      fail("unable to parse pitch step '" + std::string(step) + "'");
    }
    double alter = 0;
    if (const pugi::xml_node alter_node = pitch.child("alter")) {
      const std::optional<double> value = parse_xml_double(alter_node.child_value());
      if (!value || std::abs(*value) > 12) {
        fail(std::string("pitch alter '") + alter_node.child_value() + "' is not a number");
      }
      alter = *value;
    }
    const int64_t octave = child_int(pitch, "octave", -20, 20);
    // The octave belongs to the written step: B#4 is C5 (72) and Cb4 is B3 (59).
    const int64_t midi_pitch = 12 + static_cast<int64_t>(kSteps.find(step[0])) +
                               static_cast<int64_t>(alter) + 12 * octave + transpose_;
    if (midi_pitch < 0 || midi_pitch > 127) {
      fail("pitch " + std::to_string(midi_pitch) + " outside the MIDI range 0..127");
    }
    return static_cast<int>(midi_pitch);
  }

  Fraction read_note_value(const pugi::xml_node& note) const {
    Fraction value{1, 4};
    if (const pugi::xml_node type = note.child("type")) {
      const std::optional<Fraction> found = note_type_value(trim_xml_space(type.child_value()));
      if (!found) fail("note duration type '" + std::string(type.child_value()) + "' is not valid");
      value = *found;
    }
    int64_t actual = 1;
    int64_t normal = 1;
    if (const pugi::xml_node modification = note.child("time-modification")) {
      actual = child_int(modification, "actual-notes", 1, kMaxTupletNotes);
      normal = child_int(modification, "normal-notes", 1, kMaxTupletNotes);
    }
    const auto dots = std::distance(note.children("dot").begin(), note.children("dot").end());
    if (dots > kMaxDots) fail("more than " + std::to_string(kMaxDots) + " augmentation dots");
    // type / (actual/normal) * (2 - 1/2^dots)
    return Fraction::reduced(value.numerator * normal * ((int64_t{2} << dots) - 1),
                             value.denominator * actual * (int64_t{1} << dots));
  }

  static bool has_tie(const pugi::xml_node& note, std::string_view type) {
    for (const pugi::xml_node tie : note.children("tie")) {
      if (type == tie.attribute("type").value()) return true;
    }
    for (const pugi::xml_node notations : note.children("notations")) {
      for (const pugi::xml_node tied : notations.children("tied")) {
        if (type == tied.attribute("type").value()) return true;
      }
    }
    return false;
  }

  void read_note(const pugi::xml_node& note) {
    if (note.child("unpitched")) fail("unpitched notes are not supported");
    const bool in_chord = static_cast<bool>(note.child("chord"));
    const bool is_rest = static_cast<bool>(note.child("rest"));
    // note_seq treats a note without <duration> as a grace note; <grace> says so explicitly.
    const bool is_grace = note.child("grace") || !note.child("duration");
    const int voice =
        note.child("voice") ? static_cast<int>(child_int(note, "voice", -1000000, 1000000)) : 1;
    const Fraction value = is_grace ? Fraction{0, 1} : read_note_value(note);

    int64_t duration = 0;
    double start = cursor_;
    if (!is_grace) duration = child_int(note, "duration", 0, kMaxDuration);
    if (in_chord && previous_note_) {
      duration = is_grace ? 0 : previous_note_->duration;
      start = previous_note_->start;
    } else if (!is_grace) {
      move_cursor(quarters(duration));
    }
    previous_note_ = PreviousNote{start, duration};
    if (voice == 1 && !in_chord) measure_voice1_duration_ += duration;
    if (is_rest) return;

    if (!note.child("pitch")) fail("note without <pitch>");
    const ScoreNote score_note{
        read_pitch(note.child("pitch")), velocity_, voice, start, quarters(duration), value};
    add_note(score_note, !is_grace && has_tie(note, "start"), !is_grace && has_tie(note, "stop"));
  }

  // A tie continues the sounding note: the stop note lengthens a note of the same pitch in
  // this part that is tied from and ends where the stop note starts (its voice preferred).
  // Other notes of that pitch in between (another voice) do not break the tie.
  void add_note(const ScoreNote& note, bool tie_start, bool tie_stop) {
    std::vector<size_t>& pending = tied_from_[note.pitch];
    // Ties left open before this measure can no longer be continued.
    std::erase_if(pending, [&](size_t index) {
      const ScoreNote& from = content_->notes[index];
      return from.start + from.duration < measure_start_ - kSamePosition;
    });
    if (tie_stop) {
      std::optional<size_t> match;
      for (size_t i = 0; i < pending.size(); ++i) {
        const ScoreNote& from = content_->notes[pending[i]];
        if (std::abs(from.start + from.duration - note.start) >= kSamePosition) continue;
        if (!match || from.voice == note.voice) match = i;
      }
      if (match) {
        ScoreNote& from = content_->notes[pending[*match]];
        from.duration = note.start + note.duration - from.start;
        from.value = add_values(from.value, note.value);
        if (!tie_start) pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(*match));
        return;
      }
    }
    content_->notes.push_back(note);
    if (tie_start) pending.push_back(content_->notes.size() - 1);
  }

  Fraction add_values(const Fraction& a, const Fraction& b) const {
    const __int128 numerator = static_cast<__int128>(a.numerator) * b.denominator +
                               static_cast<__int128>(b.numerator) * a.denominator;
    const __int128 denominator = static_cast<__int128>(a.denominator) * b.denominator;
    if (numerator > INT64_MAX || denominator > INT64_MAX) {
      fail("tied note values add up beyond 64-bit fractions");
    }
    const Fraction sum =
        Fraction::reduced(static_cast<int64_t>(numerator), static_cast<int64_t>(denominator));
    if (sum.numerator > INT32_MAX || sum.denominator > INT32_MAX) {
      fail("tied note values add up beyond 32-bit fractions");
    }
    return sum;
  }

  // note_seq's fix-up for pickups and incomplete or unmarked measures: compares the summed
  // voice-1 durations (in divisions, note_seq's unit mix-up kept) with the current meter.
  void fix_time_signature() {
    const int64_t numerator = measure_voice1_duration_;
    const int64_t denominator = divisions_ * 4;
    const Fraction measured = Fraction::reduced(numerator, denominator);
    if (!current_time_ && !measure_time_) {
      measure_time_ = TimeSignatureMark{measured.numerator, measured.denominator, 0.0};
      current_time_ = measure_time_;
      return;
    }
    const TimeSignatureMark current = *current_time_;
    const bool pickup = numerator < current.numerator;
    TimeSignatureMark replacement{measured.numerator, measured.denominator, measure_start_};
    if (measured == Fraction{1, 1} && !pickup) {
      replacement.numerator = replacement.denominator = current.denominator;
    }
    if (pickup ||
        (!measure_time_ && measured != Fraction::reduced(current.numerator, current.denominator))) {
      measure_time_ = replacement;
      current_time_ = replacement;
    }
  }

  struct PreviousNote {
    double start;
    int64_t duration;
  };

  std::string source_name_;
  std::string part_id_;
  int64_t& divisions_;  // shared by all parts, as in note_seq (a part may omit it)
  PartContent* content_ = nullptr;
  double cursor_ = 0;
  int velocity_ = kDefaultVelocity;
  int transpose_ = 0;
  std::optional<TimeSignatureMark> current_time_;
  std::optional<PreviousNote> previous_note_;
  // pitch -> indices of notes awaiting their tie stop
  std::unordered_map<int, std::vector<size_t>> tied_from_;
  std::string measure_number_;
  double measure_start_ = 0;
  int64_t measure_voice1_duration_ = 0;
  std::optional<TimeSignatureMark> measure_time_;
  std::optional<KeyMark> measure_key_;
};

std::unordered_map<std::string, ScorePartInfo> read_part_list(const pugi::xml_node& score,
                                                              const std::string& source_name) {
  std::unordered_map<std::string, ScorePartInfo> parts;
  for (const pugi::xml_node score_part : score.child("part-list").children("score-part")) {
    ScorePartInfo info;
    info.name = score_part.child("part-name").child_value();
    const pugi::xml_node instrument = score_part.child("midi-instrument");
    if (instrument.child("midi-channel") && instrument.child("midi-program")) {
      const auto channel = parse_xml_int(instrument.child("midi-channel").child_value());
      const auto program = parse_xml_int(instrument.child("midi-program").child_value());
      if (!channel || !program || *channel < 0 || *channel > 16 || *program < 0 || *program > 128) {
        throw InputError(source_name + ": score-part '" + score_part.attribute("id").value() +
                         "': bad midi-channel or midi-program");
      }
      info.channel = static_cast<int>(*channel);
      info.program = static_cast<int>(*program);
    }
    parts[score_part.attribute("id").value()] = info;
  }
  return parts;
}

// The tempo marks of all parts by position; at one position the earlier part wins, and
// within a part the later mark.
std::vector<TempoMark> merged_tempo_marks(const std::vector<PartContent>& parts) {
  std::vector<TempoMark> marks;
  for (size_t part = 0; part < parts.size(); ++part) {
    for (TempoMark mark : parts[part].tempos) {
      mark.part = part;
      marks.push_back(mark);
    }
  }
  std::stable_sort(marks.begin(), marks.end(), [](const TempoMark& a, const TempoMark& b) {
    return a.position < b.position - kSamePosition ||
           (a.position <= b.position + kSamePosition && a.part < b.part);
  });
  std::vector<TempoMark> merged;
  for (const TempoMark& mark : marks) {
    if (!merged.empty() && std::abs(merged.back().position - mark.position) < kSamePosition) {
      if (merged.back().part == mark.part) merged.back() = mark;
      continue;
    }
    merged.push_back(mark);
  }
  return merged;
}

magenta::NoteSequence assemble(const pugi::xml_node& score, const std::vector<PartContent>& parts) {
  magenta::NoteSequence sequence;
  sequence.mutable_source_info()->set_source_type(magenta::NoteSequence::SourceInfo::SCORE_BASED);
  sequence.mutable_source_info()->set_encoding_type(magenta::NoteSequence::SourceInfo::MUSIC_XML);
  sequence.mutable_source_info()->set_parser(magenta::NoteSequence::SourceInfo::MAGENTA_MUSIC_XML);
  sequence.set_ticks_per_quarter(kTicksPerQuarter);
  const std::string title = score.child("work").child("work-title").child_value();
  if (!title.empty()) sequence.mutable_sequence_metadata()->set_title(title);
  for (const pugi::xml_node creator : score.child("identification").children("creator")) {
    const std::string name = creator.child_value();
    if (!name.empty()) sequence.mutable_sequence_metadata()->add_composers(name);
  }

  const std::vector<TempoMark> tempos = merged_tempo_marks(parts);
  const TempoMap tempo_map(tempos);
  const auto seconds = [&](double position) { return tempo_map.seconds(position); };

  std::vector<TimeSignatureMark> time_signatures;
  std::vector<KeyMark> keys;
  for (const PartContent& part : parts) {
    for (const TimeSignatureMark& mark : part.time_signatures) {
      const bool seen = std::any_of(
          time_signatures.begin(), time_signatures.end(), [&](const TimeSignatureMark& other) {
            return other.numerator == mark.numerator && other.denominator == mark.denominator &&
                   std::abs(other.position - mark.position) < kSamePosition;
          });
      if (!seen) time_signatures.push_back(mark);
    }
    for (const KeyMark& mark : part.keys) {
      const bool seen = std::any_of(keys.begin(), keys.end(), [&](const KeyMark& other) {
        return other.written_tonic == mark.written_tonic && other.mode == mark.mode &&
               std::abs(other.position - mark.position) < kSamePosition;
      });
      if (!seen) keys.push_back(mark);
    }
  }
  if (keys.empty()) keys.push_back(KeyMark{});
  for (const TimeSignatureMark& mark : time_signatures) {
    auto* signature = sequence.add_time_signatures();
    signature->set_time(seconds(mark.position));
    signature->set_numerator(static_cast<int32_t>(mark.numerator));
    signature->set_denominator(static_cast<int32_t>(mark.denominator));
  }
  for (const KeyMark& mark : keys) {
    auto* key = sequence.add_key_signatures();
    key->set_time(seconds(mark.position));
    key->set_key(static_cast<Key::Key>(mark.written_tonic));
    key->set_mode(mark.mode);
  }
  if (tempos.empty()) {
    auto* tempo = sequence.add_tempos();
    tempo->set_time(0);
    tempo->set_qpm(kDefaultQpm);
  }
  for (const TempoMark& mark : tempos) {
    auto* tempo = sequence.add_tempos();
    tempo->set_time(seconds(std::max(mark.position, 0.0)));
    tempo->set_qpm(mark.qpm);
  }

  double total_time = 0;
  for (size_t index = 0; index < parts.size(); ++index) {
    const PartContent& part = parts[index];
    auto* part_info = sequence.add_part_infos();
    part_info->set_part(static_cast<int32_t>(index));
    part_info->set_name(part.name);
    for (const ScoreNote& score_note : part.notes) {
      auto* note = sequence.add_notes();
      note->set_part(static_cast<int32_t>(index));
      note->set_voice(score_note.voice);
      note->set_instrument(part.channel);
      note->set_program(part.program);
      // A note backed up before the score's start keeps its length.
      const double start = std::max(seconds(score_note.start), 0.0);
      const double end =
          score_note.start >= 0
              ? seconds(score_note.start + score_note.duration)
              : start + seconds(score_note.start + score_note.duration) - seconds(score_note.start);
      note->set_start_time(start);
      note->set_end_time(end);
      note->set_pitch(score_note.pitch);
      note->set_velocity(score_note.velocity);
      note->set_numerator(static_cast<int32_t>(score_note.value.numerator));
      note->set_denominator(static_cast<int32_t>(score_note.value.denominator));
    }
    total_time = std::max(total_time, seconds(part.end));
  }
  sequence.set_total_time(total_time);
  for (const PartContent& part : parts) {
    for (const ChordMark& chord : part.chords) {
      auto* annotation = sequence.add_text_annotations();
      annotation->set_time(seconds(chord.position));
      annotation->set_text(chord.figure);
      annotation->set_annotation_type(magenta::NoteSequence::TextAnnotation::CHORD_SYMBOL);
    }
  }
  return sequence;
}

}  // namespace

magenta::NoteSequence musicxml_bytes_to_note_sequence(std::string_view bytes,
                                                      const std::string& source_name,
                                                      const MusicXmlOptions& options) {
  std::string unzipped;
  if (looks_like_zip(bytes)) {
    unzipped = mxl_root_document(bytes, source_name);
    bytes = unzipped;
  }
  pugi::xml_document document;
  const pugi::xml_parse_result parsed = document.load_buffer(
      bytes.data(), bytes.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!parsed) {
    throw InputError(source_name + ": not well-formed XML at byte " +
                     std::to_string(parsed.offset) + " (" + parsed.description() + ")");
  }
  const pugi::xml_node score = document.document_element();
  if (std::string_view(score.name()) == "score-timewise") {
    throw InputError(source_name + ": timewise MusicXML is not supported (only score-partwise)");
  }

  const auto part_list = read_part_list(score, source_name);
  std::vector<pugi::xml_node> part_nodes;
  for (const pugi::xml_node part_node : score.children("part")) part_nodes.push_back(part_node);
  std::vector<PartContent> parts(part_nodes.size());
  // With unroll_repeats, the first part's barlines give the playing order of every part with
  // as many measures (exporters often write repeats into one part only).
  std::vector<size_t> first_part_order;
  int64_t divisions = 1;
  for (size_t index = 0; index < part_nodes.size(); ++index) {
    const std::string id = part_nodes[index].attribute("id").value();
    PartContent& content = parts[index];
    if (const auto found = part_list.find(id); found != part_list.end()) {
      content.name = found->second.name;
      content.channel = found->second.channel;
      content.program = found->second.program;
    }
    std::vector<pugi::xml_node> measures;
    for (const pugi::xml_node measure : part_nodes[index].children("measure")) {
      measures.push_back(measure);
    }
    std::vector<size_t> order(measures.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (options.unroll_repeats) {
      if (index > 0 && !first_part_order.empty() && parts[0].measure_count == measures.size()) {
        order = first_part_order;
      } else {
        order = unrolled_measure_order(measures, source_name + ": part '" + id + "'");
      }
      if (index == 0) first_part_order = order;
    }
    content.measure_count = measures.size();
    PartReader(source_name, id, divisions).read(measures, order, content);
  }
  return assemble(score, parts);
}

magenta::NoteSequence musicxml_file_to_note_sequence(const std::string& path,
                                                     const MusicXmlOptions& options) {
  return musicxml_bytes_to_note_sequence(read_file(path), path, options);
}

}  // namespace prnn
