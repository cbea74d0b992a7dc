#include "music/midi_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "base/error.h"

namespace prnn {
namespace {

constexpr int kChannels = 16;
constexpr int kPrograms = 128;
constexpr int kDrumChannel = 9;

// A note still waiting for its note-off.
struct OpenNote {
  uint64_t start_tick;
  int velocity;
};

struct TickNote {
  int pitch;
  int velocity;
  uint64_t start_tick;
  uint64_t end_tick;
};

struct TickControlChange {
  uint64_t tick;
  int number;
  int value;
};

struct TickPitchBend {
  uint64_t tick;
  int bend;
};

// Control changes and pitch bends of one instrument. pretty_midi lets several
// instruments of one (channel, track) share one such list (its "stragglers").
struct ControllerEvents {
  std::vector<TickControlChange> control_changes;
  std::vector<TickPitchBend> pitch_bends;
};

struct Instrument {
  int program;
  bool is_drum;
  std::string name;
  std::vector<TickNote> notes;  // in closing order
  int controller_events;        // index into the file's ControllerEvents lists
};

struct TickTempo {
  uint64_t tick;
  double seconds_per_tick;
};

struct TickTimeSignature {
  uint64_t tick;
  int numerator;
  int denominator;
};

struct TickKeySignature {
  uint64_t tick;
  int key_number;  // pretty_midi's: pitch class of the tonic, +12 for minor
};

// Everything read from the file, in ticks.
struct MidiContents {
  int ticks_per_quarter = 0;
  std::vector<TickTempo> tempos;
  std::vector<TickTimeSignature> time_signatures;
  std::vector<TickKeySignature> key_signatures;
  std::vector<Instrument> instruments;  // in pretty_midi's order: first closed note
  std::vector<ControllerEvents> controller_events;
};

// Latin-1 bytes (mido's default charset) as UTF-8.
std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

uint32_t read_be32(std::string_view bytes, size_t at) {
  auto b = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// Reads one track chunk's events in order, validating as mido does.
class TrackParser {
 public:
  TrackParser(std::string_view data, size_t file_offset, int track, const std::string& source)
      : data_(data), file_offset_(file_offset), track_(track), source_(source) {}

  bool done() const { return pos_ == data_.size(); }
  uint64_t tick() const { return tick_; }

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(source_ + ": MIDI track " + std::to_string(track_) + " at byte offset " +
                     std::to_string(file_offset_ + pos_) + ": " + what);
  }

  uint8_t byte() {
    if (pos_ >= data_.size()) fail("event runs past the end of its track chunk (truncated)");
    return static_cast<uint8_t>(data_[pos_++]);
  }

  // A variable-length quantity. Values beyond the tick limit are rejected at once, so
  // neither ticks nor lengths can overflow.
  uint64_t variable_length() {
    uint64_t value = 0;
    while (true) {
      uint8_t b = byte();
      value = (value << 7) | (b & 0x7F);
      if (value >= kMaxMidiTick)
        fail("variable-length value exceeds " + std::to_string(kMaxMidiTick));
      if (b < 0x80) return value;
    }
  }

  std::string_view bytes(uint64_t length) {
    if (length > data_.size() - pos_) {
      fail("event claims " + std::to_string(length) + " data bytes but its track chunk has " +
           std::to_string(data_.size() - pos_) + " left");
    }
    std::string_view out = data_.substr(pos_, length);
    pos_ += length;
    return out;
  }

  void advance_delta() {
    tick_ += variable_length();
    if (tick_ >= kMaxMidiTick) {
      fail("tick " + std::to_string(tick_) + " is beyond the limit " +
           std::to_string(kMaxMidiTick) + " (corrupt file)");
    }
  }

  uint8_t data_byte() {
    uint8_t b = byte();
    if (b > 127) fail("data byte must be in range 0..127");
    return b;
  }

  // Reads the status (honouring running status as mido does). Returns the status byte;
  // for channel and system messages *first_data is the peeked data byte or -1.
  uint8_t status(int* first_data) {
    uint8_t b = byte();
    *first_data = -1;
    if (b < 0x80) {
      if (running_status_ < 0) fail("running status without a preceding status byte");
      *first_data = b;
      return static_cast<uint8_t>(running_status_);
    }
    if (b != 0xFF) running_status_ = b;
    return b;
  }

 private:
  std::string_view data_;
  size_t file_offset_;
  int track_;
  const std::string& source_;
  size_t pos_ = 0;
  uint64_t tick_ = 0;
  int running_status_ = -1;
};

// Total length (status included) of the non-channel, non-meta messages mido knows;
// 0 for undefined status bytes.
int system_message_length(uint8_t status) {
  switch (status) {
    case 0xF1:
    case 0xF3:
      return 2;
    case 0xF2:
      return 3;
    case 0xF6:
    case 0xF8:
    case 0xFA:
    case 0xFB:
    case 0xFC:
    case 0xFE:
      return 1;
    default:
      return 0;
  }
}

// pretty_midi's key number for mido's (sharps/flats, mode) pair.
int key_number(int sharps, int minor) {
  int tonic = ((sharps * 7 + (minor ? 9 : 0)) % 12 + 12) % 12;
  return tonic + 12 * minor;
}

// Reads one track's events into `contents`; track 0 also yields the tempo map and the
// signatures. Follows pretty_midi's _load_instruments.
class FileReader {
 public:
  explicit FileReader(const std::string& source) : source_(source) {}

  void read_track(std::string_view data, size_t file_offset, int track, MidiContents* contents) {
    TrackParser parser(data, file_offset, track, source_);
    std::array<int, kChannels> program{};
    std::array<std::array<int, kPrograms>, kChannels> instrument_of;
    for (auto& row : instrument_of) row.fill(-1);
    std::array<int, kChannels> straggler_of;
    straggler_of.fill(-1);
    for (auto& open : open_notes_) open.clear();
    std::string track_name;

    // The instrument for (program, channel) of this track, created on demand (notes) or
    // the shared straggler list otherwise (controller events).
    auto controller_list = [&](int channel) -> ControllerEvents& {
      int instrument = instrument_of[channel][program[channel]];
      if (instrument >= 0)
        return contents->controller_events[contents->instruments[instrument].controller_events];
      if (straggler_of[channel] < 0) {
        straggler_of[channel] = static_cast<int>(contents->controller_events.size());
        contents->controller_events.emplace_back();
      }
      return contents->controller_events[straggler_of[channel]];
    };
    auto note_instrument = [&](int channel) -> Instrument& {
      int& index = instrument_of[channel][program[channel]];
      if (index < 0) {
        int events = straggler_of[channel];
        if (events < 0) {
          events = static_cast<int>(contents->controller_events.size());
          contents->controller_events.emplace_back();
        }
        index = static_cast<int>(contents->instruments.size());
        contents->instruments.push_back(
            Instrument{program[channel], channel == kDrumChannel, track_name, {}, events});
      }
      return contents->instruments[index];
    };

    while (!parser.done()) {
      parser.advance_delta();
      const uint64_t tick = parser.tick();
      int first_data;
      uint8_t status = parser.status(&first_data);
      if (status == 0xFF) {
        uint8_t type = parser.byte();
        std::string_view payload = parser.bytes(parser.variable_length());
        read_meta(parser, type, payload, track, tick, &track_name, contents);
        continue;
      }
      if (status == 0xF0 || status == 0xF7) {  // SysEx: skipped
        parser.bytes(parser.variable_length());
        continue;
      }
      if (status >= 0xF0) {
        int length = system_message_length(status);
        if (length == 0) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", status);
          parser.fail(std::string("undefined status byte ") + hex);
        }
        for (int i = (first_data >= 0 ? 2 : 1); i < length; ++i) parser.data_byte();
        if (first_data >= 0 && length < 2) parser.fail("data byte must be in range 0..127");
        continue;
      }
      const int kind = status & 0xF0;
      const int channel = status & 0x0F;
      const int data1 = first_data >= 0 ? first_data : parser.data_byte();
      const int data2 = (kind == 0xC0 || kind == 0xD0) ? 0 : parser.data_byte();
      switch (kind) {
        case 0xC0:
          program[channel] = data1;
          break;
        case 0x90:
          if (data2 > 0) {
            open_notes_[channel * 128 + data1].push_back({tick, data2});
            break;
          }
          [[fallthrough]];
        case 0x80: {
          auto& open = open_notes_[channel * 128 + data1];
          if (open.empty()) break;
          // One note-off closes every open note of this key begun on an earlier tick;
          // those begun on this very tick survive only if something was closed.
          size_t kept = 0;
          bool closed_any = false;
          for (const OpenNote& note : open) {
            if (note.start_tick == tick) {
              open[kept++] = note;
              continue;
            }
            closed_any = true;
            note_instrument(channel).notes.push_back({data1, note.velocity, note.start_tick, tick});
          }
          open.resize(closed_any ? kept : 0);
          break;
        }
        case 0xB0:
          controller_list(channel).control_changes.push_back({tick, data1, data2});
          break;
        case 0xE0:
          controller_list(channel).pitch_bends.push_back({tick, ((data2 << 7) | data1) - 8192});
          break;
        default:  // polyphonic and channel aftertouch: not represented
          break;
      }
    }
  }

 private:
  void read_meta(TrackParser& parser, uint8_t type, std::string_view payload, int track,
                 uint64_t tick, std::string* track_name, MidiContents* contents) {
    auto payload_byte = [&](size_t i) { return static_cast<uint8_t>(payload[i]); };
    switch (type) {
      case 0x03:  // track name
        *track_name = latin1_to_utf8(payload);
        break;
      case 0x51: {  // set tempo: µs per quarter
        if (payload.size() < 3) parser.fail("set_tempo event with fewer than 3 data bytes");
        uint32_t micros = (payload_byte(0) << 16) | (payload_byte(1) << 8) | payload_byte(2);
        if (track != 0) break;
        if (micros == 0) parser.fail("set_tempo of 0 microseconds per quarter note");
        double qpm = 6e7 / static_cast<double>(micros);
        double scale = 60.0 / (qpm * contents->ticks_per_quarter);
        if (tick == 0) {
          contents->tempos.assign(1, {0, scale});
        } else if (scale != contents->tempos.back().seconds_per_tick) {
          contents->tempos.push_back({tick, scale});
        }
        break;
      }
      case 0x58: {  // time signature
        if (payload.size() < 4) parser.fail("time_signature event with fewer than 4 data bytes");
        if (track != 0) break;
        if (payload_byte(1) >= 31) {
          parser.fail("time signature denominator 2^" + std::to_string(payload_byte(1)) +
                      " is beyond int32");
        }
        contents->time_signatures.push_back({tick, payload_byte(0), 1 << payload_byte(1)});
        break;
      }
      case 0x59: {  // key signature
        if (payload.size() < 2) parser.fail("key_signature event with fewer than 2 data bytes");
        int sharps = static_cast<int8_t>(payload_byte(0));
        int mode = payload_byte(1);
        if (sharps < -7 || sharps > 7 || mode > 1) {
          parser.fail("key signature with " + std::to_string(sharps) + " sharps and mode " +
                      std::to_string(mode) + " is not a key");
        }
        if (track == 0) contents->key_signatures.push_back({tick, key_number(sharps, mode)});
        break;
      }
      default:  // other meta events carry nothing a NoteSequence holds
        break;
    }
  }

  const std::string& source_;
  std::array<std::vector<OpenNote>, kChannels * 128> open_notes_;
};

// pretty_midi's tick → seconds map: piecewise linear over the tempo changes.
class TickClock {
 public:
  explicit TickClock(const std::vector<TickTempo>& tempos) : tempos_(tempos) {
    start_seconds_.reserve(tempos.size());
    double seconds = 0;
    for (size_t i = 0; i < tempos.size(); ++i) {
      if (i > 0) {
        seconds += tempos[i - 1].seconds_per_tick *
                   static_cast<double>(tempos[i].tick - tempos[i - 1].tick);
      }
      start_seconds_.push_back(seconds);
    }
  }

  double seconds(uint64_t tick) const {
    auto after =
        std::upper_bound(tempos_.begin(), tempos_.end(), tick,
                         [](uint64_t t, const TickTempo& tempo) { return t < tempo.tick; });
    size_t i = static_cast<size_t>(after - tempos_.begin()) - 1;
    return start_seconds_[i] +
           tempos_[i].seconds_per_tick * static_cast<double>(tick - tempos_[i].tick);
  }

 private:
  const std::vector<TickTempo>& tempos_;
  std::vector<double> start_seconds_;
};

MidiContents read_midi(std::string_view bytes, const std::string& source) {
  auto fail = [&](const std::string& what) -> void { throw InputError(source + ": " + what); };
  if (bytes.size() < 8 || bytes.substr(0, 4) != "MThd") fail("not a MIDI file (no MThd header)");
  uint32_t header_length = read_be32(bytes, 4);
  if (header_length < 6 || header_length > bytes.size() - 8) {
    fail("MIDI header chunk length " + std::to_string(header_length) + " is invalid for a " +
         std::to_string(bytes.size()) + "-byte file");
  }
  auto be16 = [&](size_t at) {
    return (static_cast<unsigned char>(bytes[at]) << 8) | static_cast<unsigned char>(bytes[at + 1]);
  };
  int format = be16(8);
  int declared_tracks = be16(10);
  int division = be16(12);
  if (format > 2) fail("unknown MIDI file format " + std::to_string(format));
  if (division & 0x8000) fail("SMPTE time division is not supported");
  if (division == 0) fail("MIDI header gives 0 ticks per quarter note");
  if (declared_tracks == 0) fail("MIDI file declares no tracks");

  MidiContents contents;
  contents.ticks_per_quarter = division;
  contents.tempos.push_back({0, 60.0 / (120.0 * division)});
  FileReader reader(source);
  size_t pos = 8 + header_length;
  int track = 0;
  while (track < declared_tracks) {
    if (bytes.size() - pos < 8) {
      fail("header declares " + std::to_string(declared_tracks) +
           " tracks but the file ends after " + std::to_string(track) + " (truncated)");
    }
    uint32_t length = read_be32(bytes, pos + 4);
    if (length > bytes.size() - pos - 8) {
      fail("MIDI chunk at byte offset " + std::to_string(pos) + " claims " +
           std::to_string(length) + " bytes but only " + std::to_string(bytes.size() - pos - 8) +
           " remain (truncated)");
    }
    // Chunks other than MTrk are skipped, as the SMF specification asks.
    if (bytes.substr(pos, 4) == "MTrk") {
      reader.read_track(bytes.substr(pos + 8, length), pos + 8, track, &contents);
      ++track;
    }
    pos += 8 + static_cast<size_t>(length);
  }
  return contents;
}

}  // namespace

magenta::NoteSequence midi_to_note_sequence(std::string_view bytes,
                                            const std::string& source_name) {
  MidiContents contents = read_midi(bytes, source_name);
  TickClock clock(contents.tempos);

  magenta::NoteSequence sequence;
  sequence.set_ticks_per_quarter(contents.ticks_per_quarter);
  sequence.mutable_source_info()->set_parser(magenta::NoteSequence::SourceInfo::PRETTY_MIDI);
  sequence.mutable_source_info()->set_encoding_type(magenta::NoteSequence::SourceInfo::MIDI);
  for (const TickTimeSignature& signature : contents.time_signatures) {
    auto* out = sequence.add_time_signatures();
    out->set_time(clock.seconds(signature.tick));
    out->set_numerator(signature.numerator);
    out->set_denominator(signature.denominator);
  }
  for (const TickKeySignature& signature : contents.key_signatures) {
    auto* out = sequence.add_key_signatures();
    out->set_time(clock.seconds(signature.tick));
    out->set_key(static_cast<magenta::NoteSequence::KeySignature::Key>(signature.key_number % 12));
    out->set_mode(signature.key_number >= 12 ? magenta::NoteSequence::KeySignature::MINOR
                                             : magenta::NoteSequence::KeySignature::MAJOR);
  }
  for (const TickTempo& tempo : contents.tempos) {
    auto* out = sequence.add_tempos();
    out->set_time(clock.seconds(tempo.tick));
    out->set_qpm(60.0 / (tempo.seconds_per_tick * contents.ticks_per_quarter));
  }

  size_t note_count = 0;
  for (const Instrument& instrument : contents.instruments) note_count += instrument.notes.size();
  sequence.mutable_notes()->Reserve(static_cast<int>(note_count));
  double total_time = 0;
  for (size_t i = 0; i < contents.instruments.size(); ++i) {
    const Instrument& instrument = contents.instruments[i];
    if (!instrument.name.empty()) {
      auto* info = sequence.add_instrument_infos();
      info->set_instrument(static_cast<int>(i));
      info->set_name(instrument.name);
    }
    for (const TickNote& note : instrument.notes) {
      auto* out = sequence.add_notes();
      out->set_instrument(static_cast<int>(i));
      out->set_program(instrument.program);
      out->set_start_time(clock.seconds(note.start_tick));
      out->set_end_time(clock.seconds(note.end_tick));
      out->set_pitch(note.pitch);
      out->set_velocity(note.velocity);
      out->set_is_drum(instrument.is_drum);
      total_time = std::max(total_time, out->end_time());
    }
  }
  for (size_t i = 0; i < contents.instruments.size(); ++i) {
    const Instrument& instrument = contents.instruments[i];
    for (const TickPitchBend& bend :
         contents.controller_events[instrument.controller_events].pitch_bends) {
      auto* out = sequence.add_pitch_bends();
      out->set_instrument(static_cast<int>(i));
      out->set_program(instrument.program);
      out->set_time(clock.seconds(bend.tick));
      out->set_bend(bend.bend);
      out->set_is_drum(instrument.is_drum);
    }
  }
  for (size_t i = 0; i < contents.instruments.size(); ++i) {
    const Instrument& instrument = contents.instruments[i];
    for (const TickControlChange& change :
         contents.controller_events[instrument.controller_events].control_changes) {
      auto* out = sequence.add_control_changes();
      out->set_instrument(static_cast<int>(i));
      out->set_program(instrument.program);
      out->set_time(clock.seconds(change.tick));
      out->set_control_number(change.number);
      out->set_control_value(change.value);
      out->set_is_drum(instrument.is_drum);
    }
  }
  sequence.set_total_time(total_time);
  return sequence;
}

}  // namespace prnn
