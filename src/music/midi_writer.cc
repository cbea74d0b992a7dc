#include "music/midi_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "music/general_midi.h"
#include "music/sequences.h"

namespace prnn {
namespace {

constexpr double kDefaultQpm = 120.0;
constexpr int kDrumChannel = 9;
constexpr double kMaxSeconds = 1e9;  // keeps every tick well inside int64

// pretty_midi's secondary sort keys for events on the same tick.
constexpr int64_t kOrderTempo = 1 << 16;
constexpr int64_t kOrderTimeSignature = 2 << 16;
constexpr int64_t kOrderKeySignature = 3 << 16;
constexpr int64_t kOrderProgram = 6 << 16;
constexpr int64_t kOrderBend = 7 << 16;
constexpr int64_t kOrderControl = 8 << 16;
constexpr int64_t kOrderNote = 10 << 16;

// One event of a track: a channel message (status < 0xF0) or a meta event.
struct TrackEvent {
  int64_t tick;
  int64_t order;
  uint8_t status;       // channel status byte, or 0xFF for meta
  uint8_t meta_type;    // meta only
  std::string payload;  // data bytes
};

// pretty_midi's time ↔ tick map (its _tick_scales and __tick_to_time array), computed
// on demand instead of materialised per tick.
class TickMap {
 public:
  TickMap(int resolution, double initial_qpm)
      : scales_{{0, 60.0 / (initial_qpm * resolution), 0.0}} {}

  void append(int64_t tick, double seconds_per_tick) {
    scales_.push_back({tick, seconds_per_tick, seconds_at(tick)});
  }

  const auto& scales() const { return scales_; }

  // The time of `tick` (pretty_midi's __tick_to_time[tick]).
  double seconds_at(int64_t tick) const {
    auto after = std::upper_bound(scales_.begin(), scales_.end(), tick,
                                  [](int64_t t, const Scale& s) { return t < s.tick; });
    const Scale& scale = *(after - 1);
    return scale.start_seconds + scale.seconds_per_tick * static_cast<double>(tick - scale.tick);
  }

  // pretty_midi's time_to_tick: the nearest tick (ties go up) within the map; past its
  // last tempo change, extrapolated and rounded half to even.
  int64_t tick_at(double seconds) const {
    const Scale& last = scales_.back();
    const double last_seconds = seconds_at(last.tick);
    if (seconds > last_seconds) {
      double tick =
          static_cast<double>(last.tick) + (seconds - last_seconds) / last.seconds_per_tick;
      return static_cast<int64_t>(std::nearbyint(tick));
    }
    int64_t low = 0, high = last.tick;  // smallest tick whose time is >= seconds
    while (low < high) {
      int64_t middle = low + (high - low) / 2;
      if (seconds_at(middle) >= seconds) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    if (low > 0 &&
        std::fabs(seconds - seconds_at(low - 1)) < std::fabs(seconds - seconds_at(low))) {
      return low - 1;
    }
    return low;
  }

 private:
  struct Scale {
    int64_t tick;
    double seconds_per_tick;
    double start_seconds;
  };
  std::vector<Scale> scales_;
};

class Writer {
 public:
  Writer(const magenta::NoteSequence& sequence, const MidiWriteOptions& options)
      : sequence_(sequence),
        resolution_(sequence.ticks_per_quarter() > 0 ? sequence.ticks_per_quarter()
                                                     : kTicksPerQuarter),
        name_(!sequence.id().empty()         ? sequence.id()
              : !sequence.filename().empty() ? sequence.filename()
                                             : std::string("NoteSequence")),
        map_(resolution_, initial_qpm()) {
    if (options.drop_events_seconds_after_last_note) {
      double last_end = 0;
      for (const auto& note : sequence.notes()) last_end = std::max(last_end, note.end_time());
      drop_after_ = last_end + *options.drop_events_seconds_after_last_note;
    }
  }

  std::string write() {
    build_tempo_map();
    std::vector<std::vector<TrackEvent>> tracks;
    tracks.push_back(timing_track());
    add_instrument_tracks(&tracks);
    std::string out = "MThd" + be(6, 4) + be(1, 2) + be(tracks.size(), 2) + be(resolution_, 2);
    for (auto& track : tracks) out += encode_track(&track);
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(name_ + ": cannot write as MIDI: " + what);
  }

  static std::string be(uint64_t value, int bytes) {
    std::string out;
    for (int i = bytes - 1; i >= 0; --i)
      out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return out;
  }

  // note_seq drops nothing when the limit is exactly 0 (its test is `if max_event_time`).
  bool dropped(double time) const {
    return drop_after_ && *drop_after_ != 0 && time > *drop_after_;
  }

  double checked_time(double time, const char* what) const {
    if (!std::isfinite(time) || std::fabs(time) > kMaxSeconds) {
      fail(std::string(what) + " at time " + std::to_string(time) + " s");
    }
    return time;
  }

  int checked(int value, int low, int high, const std::string& what) const {
    if (value < low || value > high) {
      fail(what + " " + std::to_string(value) + " outside " + std::to_string(low) + ".." +
           std::to_string(high));
    }
    return value;
  }

  // note_seq: the first tempo (in list order) at time 0 is the initial tempo.
  int initial_tempo_index() const {
    for (int i = 0; i < sequence_.tempos_size(); ++i) {
      if (sequence_.tempos(i).time() == 0) return i;
    }
    return -1;
  }
  double initial_qpm() const {
    int index = initial_tempo_index();
    return index < 0 ? kDefaultQpm : sequence_.tempos(index).qpm();
  }

  void build_tempo_map() {
    const int initial = initial_tempo_index();
    std::vector<const magenta::NoteSequence::Tempo*> others;
    for (int i = 0; i < sequence_.tempos_size(); ++i) {
      const auto& tempo = sequence_.tempos(i);
      if (!(tempo.qpm() > 0) || !std::isfinite(tempo.qpm())) {
        fail("tempo " + std::to_string(tempo.qpm()) + " qpm");
      }
      checked_time(tempo.time(), "tempo");
      if (i == initial || dropped(tempo.time())) continue;
      others.push_back(&tempo);
    }
    std::stable_sort(others.begin(), others.end(),
                     [](auto* a, auto* b) { return a->time() < b->time(); });
    for (const auto* tempo : others) {
      map_.append(map_.tick_at(tempo->time()), 60.0 / (resolution_ * tempo->qpm()));
    }
  }

  static TrackEvent meta(int64_t tick, int64_t order, uint8_t type, std::string payload) {
    return {tick, order, 0xFF, type, std::move(payload)};
  }
  static TrackEvent channel_event(int64_t tick, int64_t order, int status, int data1, int data2,
                                  bool two_data_bytes) {
    std::string payload(1, static_cast<char>(data1));
    if (two_data_bytes) payload.push_back(static_cast<char>(data2));
    return {tick, order, static_cast<uint8_t>(status), 0, std::move(payload)};
  }

  std::vector<TrackEvent> timing_track() {
    std::vector<TrackEvent> track;
    bool has_signature_at_zero = false;
    double earliest = INFINITY;
    for (const auto& signature : sequence_.time_signatures()) {
      if (!dropped(signature.time())) earliest = std::min(earliest, signature.time());
    }
    has_signature_at_zero = earliest <= 0.0;
    if (!has_signature_at_zero) track.push_back(meta(0, kOrderTimeSignature, 0x58, {4, 2, 24, 8}));
    for (const auto& scale : map_.scales()) {
      // Rounded, where pretty_midi truncates: a tempo read from MIDI is written back with
      // its exact microseconds (truncation can lose one).
      double micros = std::nearbyint(6e7 / (60.0 / (scale.seconds_per_tick * resolution_)));
      if (!(micros >= 1 && micros <= 0xFFFFFF)) fail("tempo beyond what a MIDI set_tempo holds");
      uint32_t tempo = static_cast<uint32_t>(micros);
      track.push_back(meta(scale.tick, kOrderTempo, 0x51, be(tempo, 3)));
    }
    for (const auto& signature : sequence_.time_signatures()) {
      if (dropped(signature.time())) continue;
      checked(signature.numerator(), 0, 255, "time signature numerator");
      if (signature.denominator() <= 0)
        fail("time signature denominator " + std::to_string(signature.denominator()));
      int log2_denominator = 0;
      while ((2 << log2_denominator) <= signature.denominator() && log2_denominator < 30)
        ++log2_denominator;
      std::string payload{static_cast<char>(signature.numerator()),
                          static_cast<char>(log2_denominator), 24, 8};
      track.push_back(meta(map_.tick_at(checked_time(signature.time(), "time signature")),
                           kOrderTimeSignature, 0x58, payload));
    }
    // Sharps (negative: flats) of each key, major then minor, as mido encodes pretty_midi's
    // key names.
    static constexpr int kMajorSharps[12] = {0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5};
    static constexpr int kMinorSharps[12] = {-3, 4, -1, 6, 1, -4, 3, -2, 5, 0, -5, 2};
    for (const auto& signature : sequence_.key_signatures()) {
      if (dropped(signature.time())) continue;
      int key = checked(signature.key(), 0, 11, "key");
      bool minor = signature.mode() == magenta::NoteSequence::KeySignature::MINOR;
      int sharps = minor ? kMinorSharps[key] : kMajorSharps[key];
      std::string payload{static_cast<char>(static_cast<uint8_t>(sharps)),
                          static_cast<char>(minor)};
      track.push_back(meta(map_.tick_at(checked_time(signature.time(), "key signature")),
                           kOrderKeySignature, 0x59, payload));
    }
    return track;
  }

  struct Group {
    std::vector<const magenta::NoteSequence::Note*> notes;
    std::vector<const magenta::NoteSequence::PitchBend*> bends;
    std::vector<const magenta::NoteSequence::ControlChange*> controls;
  };
  struct InstrumentTrack {
    int program = 0;
    bool is_drum = false;
    std::string name;
    const Group* group = nullptr;
  };

  void add_instrument_tracks(std::vector<std::vector<TrackEvent>>* tracks) {
    std::map<std::tuple<int, int, bool>, Group> groups;  // (instrument, program, is_drum)
    for (const auto& note : sequence_.notes()) {
      groups[{note.instrument(), note.program(), note.is_drum()}].notes.push_back(&note);
    }
    for (const auto& bend : sequence_.pitch_bends()) {
      if (dropped(bend.time())) continue;
      groups[{bend.instrument(), bend.program(), bend.is_drum()}].bends.push_back(&bend);
    }
    for (const auto& control : sequence_.control_changes()) {
      if (dropped(control.time())) continue;
      groups[{control.instrument(), control.program(), control.is_drum()}].controls.push_back(
          &control);
    }
    std::map<int, std::string> names;
    for (const auto& info : sequence_.instrument_infos()) names[info.instrument()] = info.name();

    // A default instrument comes first; groups of instrument <= 0 take it over.
    std::vector<InstrumentTrack> instruments(1);
    for (const auto& [key, group] : groups) {
      const auto& [instrument, program, is_drum] = key;
      checked(program, 0, 127, "program");
      InstrumentTrack* target = &instruments[0];
      if (instrument > 0) {
        target = &instruments.emplace_back();
        target->name = is_drum ? "Drums" : std::string(general_midi_program_name(program));
      }
      target->is_drum = is_drum;
      target->program = program;
      if (auto it = names.find(instrument); it != names.end()) target->name = it->second;
      target->group = &group;
    }
    for (size_t index = 0; index < instruments.size(); ++index) {
      tracks->push_back(instrument_track(instruments[index], static_cast<int>(index)));
    }
  }

  std::vector<TrackEvent> instrument_track(const InstrumentTrack& instrument, int index) {
    std::vector<TrackEvent> track;
    if (!instrument.name.empty())
      track.push_back(meta(0, -1, 0x03, utf8_to_latin1(instrument.name)));
    const int channel =
        instrument.is_drum ? kDrumChannel : (index % 15 < 9 ? index % 15 : index % 15 + 1);
    track.push_back(channel_event(0, kOrderProgram, 0xC0 | channel, instrument.program, 0, false));
    if (instrument.group) {
      for (const auto* note : instrument.group->notes) {
        int pitch = checked(note->pitch(), 0, 127, "pitch");
        int velocity = checked(note->velocity(), 0, 127, "velocity");
        int64_t start = map_.tick_at(checked_time(note->start_time(), "note"));
        int64_t end = map_.tick_at(checked_time(note->end_time(), "note"));
        track.push_back(channel_event(start, kOrderNote + pitch * 256 + velocity, 0x90 | channel,
                                      pitch, velocity, true));
        track.push_back(
            channel_event(end, kOrderNote + pitch * 256, 0x90 | channel, pitch, 0, true));
      }
      for (const auto* bend : instrument.group->bends) {
        int value = checked(bend->bend(), -8192, 8191, "pitch bend") + 8192;
        track.push_back(channel_event(map_.tick_at(checked_time(bend->time(), "pitch bend")),
                                      kOrderBend + bend->bend(), 0xE0 | channel, value & 0x7F,
                                      value >> 7, true));
      }
      for (const auto* control : instrument.group->controls) {
        int number = checked(control->control_number(), 0, 127, "control number");
        int value = checked(control->control_value(), 0, 127, "control value");
        track.push_back(channel_event(map_.tick_at(checked_time(control->time(), "control change")),
                                      kOrderControl + number * 256 + value, 0xB0 | channel, number,
                                      value, true));
      }
    }
    return track;
  }

  static std::string utf8_to_latin1(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      unsigned char c = text[i];
      if (c < 0x80) {
        out.push_back(static_cast<char>(c));
      } else if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
        out.push_back(static_cast<char>(((c & 0x03) << 6) | (text[++i] & 0x3F)));
      } else {
        return text;  // not representable in Latin-1: keep the UTF-8 bytes
      }
    }
    return out;
  }

  static void put_variable_length(uint64_t value, std::string* out) {
    char buffer[10];
    int n = 0;
    buffer[n++] = static_cast<char>(value & 0x7F);
    while (value >>= 7) buffer[n++] = static_cast<char>(0x80 | (value & 0x7F));
    while (n > 0) out->push_back(buffer[--n]);
  }

  // Sorts the events (pretty_midi's order), appends end_of_track one tick after the
  // last event and encodes the chunk with running status.
  std::string encode_track(std::vector<TrackEvent>* track) {
    std::stable_sort(track->begin(), track->end(), [](const TrackEvent& a, const TrackEvent& b) {
      return std::tie(a.tick, a.order) < std::tie(b.tick, b.order);
    });
    int64_t last_tick = track->empty() ? 0 : track->back().tick;
    track->push_back(meta(last_tick + 1, 0, 0x2F, {}));
    std::string data;
    int64_t tick = 0;
    int running_status = -1;
    for (const TrackEvent& event : *track) {
      put_variable_length(static_cast<uint64_t>(event.tick - tick), &data);
      tick = event.tick;
      if (event.status == 0xFF) {
        data.push_back('\xFF');
        data.push_back(static_cast<char>(event.meta_type));
        put_variable_length(event.payload.size(), &data);
        running_status = -1;
      } else if (event.status != running_status) {
        data.push_back(static_cast<char>(event.status));
        running_status = event.status;
      }
      data += event.payload;
    }
    return "MTrk" + be(data.size(), 4) + data;
  }

  const magenta::NoteSequence& sequence_;
  const int resolution_;
  const std::string name_;
  std::optional<double> drop_after_;
  TickMap map_;
};

}  // namespace

std::string note_sequence_to_midi(const magenta::NoteSequence& sequence,
                                  const MidiWriteOptions& options) {
  return Writer(sequence, options).write();
}

void note_sequence_to_midi_file(const magenta::NoteSequence& sequence, const std::string& path,
                                const MidiWriteOptions& options) {
  write_file_atomic(path, note_sequence_to_midi(sequence, options));
}

}  // namespace prnn
