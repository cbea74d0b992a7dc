// The MIDI writer against doc/magenta.md §2 Write and golden case 34, and read(write(ns))
// round trips on the shared MIDI files: every note comes back on the same tick.
#include "music/midi_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "music/midi_reader.h"
#include "../shared_data.h"

namespace prnn {
namespace {

using NoteKey = std::tuple<int, int, double, double, int, bool>;

std::vector<NoteKey> note_keys(const magenta::NoteSequence& sequence) {
  std::vector<NoteKey> keys;
  for (const auto& n : sequence.notes()) {
    keys.emplace_back(n.pitch(), n.velocity(), n.start_time(), n.end_time(), n.program(),
                      n.is_drum());
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

magenta::NoteSequence round_trip(const magenta::NoteSequence& sequence) {
  return midi_to_note_sequence(note_sequence_to_midi(sequence), "written.mid");
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(MidiWriterGolden, EmptySequenceBytes) {  // case 34 and the [ran] output in §2 Write
  magenta::NoteSequence empty;
  std::string bytes = note_sequence_to_midi(empty);
  // Format 1, 2 tracks, 220 tpq; track 0: set_tempo 500000, 4/4, EOT after one tick;
  // track 1: program change channel 0 program 0, EOT after one tick.
  EXPECT_EQ(hex(bytes),
            "4D546864000000060001000200DC"
            "4D54726B00000013"
            "00FF510307A120"
            "00FF580404021808"
            "01FF2F00"
            "4D54726B00000007"
            "00C000"
            "01FF2F00");
}

// What note_seq writes for each shared test file (tests/fixtures/midi_written, made by
// make_fixtures.sh there with note_seq): our bytes are identical.
TEST(MidiWriterGolden, ByteIdenticalToNoteSeq) {
  PRNN_REQUIRE_SHARED_DATA();
  const std::string fixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/midi_written/";
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures)) {
    if (entry.path().extension() != ".mid") continue;
    SCOPED_TRACE(entry.path().filename().string());
    std::string source =
        test_data::shared_dir() + "/data/note_seq/" + entry.path().filename().string();
    auto sequence = midi_to_note_sequence(read_file(source), source);
    EXPECT_EQ(hex(note_sequence_to_midi(sequence)), hex(read_file(entry.path().string())));
    ++compared;
  }
  EXPECT_EQ(compared, 7);
}

TEST(MidiWriterGolden, TempoMapAndDefaults) {  // case 34
  magenta::NoteSequence sequence;
  auto* t1 = sequence.add_tempos();
  t1->set_time(1.0);
  t1->set_qpm(60);
  auto* t2 = sequence.add_tempos();
  t2->set_time(2.0);
  t2->set_qpm(120);
  auto* note = sequence.add_notes();
  note->set_pitch(60);
  note->set_velocity(80);
  note->set_start_time(0.5);
  note->set_end_time(2.5);
  auto back = round_trip(sequence);
  EXPECT_EQ(back.ticks_per_quarter(), 220);
  ASSERT_EQ(back.tempos_size(), 3);
  EXPECT_DOUBLE_EQ(back.tempos(0).time(), 0.0);
  EXPECT_DOUBLE_EQ(back.tempos(0).qpm(), 120.0);
  EXPECT_DOUBLE_EQ(back.tempos(1).time(), 1.0);
  EXPECT_DOUBLE_EQ(back.tempos(1).qpm(), 60.0);
  EXPECT_DOUBLE_EQ(back.tempos(2).time(), 2.0);
  EXPECT_DOUBLE_EQ(back.tempos(2).qpm(), 120.0);
  ASSERT_EQ(back.notes_size(), 1);
  EXPECT_DOUBLE_EQ(back.notes(0).start_time(), 0.5);
  EXPECT_DOUBLE_EQ(back.notes(0).end_time(), 2.5);
  ASSERT_EQ(back.time_signatures_size(), 1);  // the default 4/4
  EXPECT_EQ(back.time_signatures(0).numerator(), 4);
}

TEST(MidiWriter, ProgramsDrumsControllersAndSignatures) {
  magenta::NoteSequence sequence;
  sequence.set_ticks_per_quarter(480);
  auto add_note = [&](int instrument, int program, bool drum, int pitch, double start, double end) {
    auto* n = sequence.add_notes();
    n->set_instrument(instrument);
    n->set_program(program);
    n->set_is_drum(drum);
    n->set_pitch(pitch);
    n->set_velocity(pitch);
    n->set_start_time(start);
    n->set_end_time(end);
  };
  add_note(0, 0, false, 60, 0.0, 1.0);
  add_note(1, 40, false, 72, 0.25, 0.75);
  add_note(2, 0, true, 36, 0.5, 0.625);
  auto* cc = sequence.add_control_changes();
  cc->set_instrument(1);
  cc->set_program(40);
  cc->set_time(0.5);
  cc->set_control_number(64);
  cc->set_control_value(127);
  auto* bend = sequence.add_pitch_bends();
  bend->set_instrument(1);
  bend->set_program(40);
  bend->set_time(0.5);
  bend->set_bend(-8192);
  auto* ts = sequence.add_time_signatures();
  ts->set_numerator(6);
  ts->set_denominator(8);
  auto* key = sequence.add_key_signatures();
  key->set_time(1.0);
  key->set_key(magenta::NoteSequence::KeySignature::E_FLAT);
  key->set_mode(magenta::NoteSequence::KeySignature::MINOR);
  auto* info = sequence.add_instrument_infos();
  info->set_instrument(1);
  info->set_name("Violin I");

  auto back = round_trip(sequence);
  EXPECT_EQ(back.ticks_per_quarter(), 480);
  EXPECT_EQ(note_keys(back), note_keys(sequence));
  ASSERT_EQ(back.control_changes_size(), 1);
  EXPECT_EQ(back.control_changes(0).control_number(), 64);
  EXPECT_EQ(back.control_changes(0).control_value(), 127);
  EXPECT_EQ(back.control_changes(0).program(), 40);
  EXPECT_DOUBLE_EQ(back.control_changes(0).time(), 0.5);
  ASSERT_EQ(back.pitch_bends_size(), 1);
  EXPECT_EQ(back.pitch_bends(0).bend(), -8192);
  ASSERT_EQ(back.time_signatures_size(), 1);
  EXPECT_EQ(back.time_signatures(0).numerator(), 6);
  EXPECT_EQ(back.time_signatures(0).denominator(), 8);
  ASSERT_EQ(back.key_signatures_size(), 1);
  EXPECT_EQ(back.key_signatures(0).key(), magenta::NoteSequence::KeySignature::E_FLAT);
  EXPECT_EQ(back.key_signatures(0).mode(), magenta::NoteSequence::KeySignature::MINOR);
  EXPECT_DOUBLE_EQ(back.key_signatures(0).time(), 1.0);
  bool named = false;
  for (const auto& i : back.instrument_infos()) named |= i.name() == "Violin I";
  EXPECT_TRUE(named);
  // Track names: the default track is unnamed; the drum track is "Drums".
  std::string bytes = note_sequence_to_midi(sequence);
  EXPECT_NE(bytes.find("Drums"), std::string::npos);
  EXPECT_NE(bytes.find(std::string("\x99\x24\x24", 3)), std::string::npos);  // drums on channel 10
}

TEST(MidiWriter, SameTickOffPrecedesOn) {
  magenta::NoteSequence sequence;
  for (double start : {0.0, 0.5}) {
    auto* n = sequence.add_notes();
    n->set_pitch(60);
    n->set_velocity(90);
    n->set_start_time(start);
    n->set_end_time(start + 0.5);
  }
  auto back = round_trip(sequence);
  EXPECT_EQ(note_keys(back), note_keys(sequence));
}

TEST(MidiWriter, RejectsValuesMidiCannotHold) {
  magenta::NoteSequence sequence;
  sequence.set_id("bad");
  auto* n = sequence.add_notes();
  n->set_pitch(128);
  n->set_end_time(1);
  try {
    note_sequence_to_midi(sequence);
    FAIL() << "accepted pitch 128";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad: cannot write as MIDI: pitch 128"), std::string::npos)
        << e.what();
  }
  n->set_pitch(60);
  sequence.add_tempos()->set_qpm(0);
  EXPECT_THROW(note_sequence_to_midi(sequence), InputError);
}

TEST(MidiWriter, ReadWriteReadKeepsEveryNoteOnItsTick) {
  PRNN_REQUIRE_SHARED_DATA();
  const std::string shared = test_data::shared_dir() + "/data/";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(shared + "note_seq")) {
    if (entry.path().extension() == ".mid") files.push_back(entry.path().string());
  }
  // Performances (sustain, dense notes) and quantized scores with many tempo changes.
  for (const char* name :
       {"asap/Bach/Fugue/bwv_846/Shi05M.mid", "asap/Bach/Fugue/bwv_846/midi_score.mid",
        "asap/Chopin/Etudes_op_10/4/midi_score.mid",
        "asap/Schubert/Impromptu_op.90_D.899/3/Hou06M.mid"}) {
    if (std::filesystem::exists(shared + name)) files.push_back(shared + name);
  }
  ASSERT_GE(files.size(), 9u);
  for (const auto& path : files) {
    SCOPED_TRACE(path);
    auto original = midi_to_note_sequence(read_file(path), path);
    auto back = round_trip(original);
    EXPECT_EQ(back.ticks_per_quarter(), original.ticks_per_quarter());
    EXPECT_EQ(note_keys(back), note_keys(original));  // exact: the same ticks and tempo map
    EXPECT_EQ(back.tempos_size(), original.tempos_size());
    EXPECT_EQ(back.total_time(), original.total_time());
  }
}

// Standard tools accept the output: mido parses it and TiMidity++ renders it to audio.
TEST(MidiWriter, MidoReadsAndTimidityRendersOutput) {
  PRNN_REQUIRE_SHARED_DATA();
  if (std::system(
          "command -v timidity >/dev/null && /usr/bin/python3 -c 'import mido' 2>/dev/null") != 0) {
    GTEST_SKIP() << "timidity or python3-mido not installed";
  }
  auto sequence = midi_to_note_sequence(
      read_file(test_data::shared_dir() + "/data/note_seq/example_is_drum.mid"), "drum.mid");
  auto dir =
      std::filesystem::temp_directory_path() / ("prnn_midi_writer_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string midi = (dir / "out.mid").string();
  std::string wav = (dir / "out.wav").string();
  note_sequence_to_midi_file(sequence, midi);
  // REFERENCE §11 case 32: exactly 2 note-ons on channel 10 (drums) after writing.
  std::string count_command =
      "/usr/bin/python3 -c \"import mido,sys; m=mido.MidiFile(sys.argv[1]); "
      "sys.exit(0 if sum(1 for t in m.tracks for e in t if e.type=='note_on' and e.velocity>0 "
      "and e.channel==9)==2 else 1)\" " +
      midi;
  EXPECT_EQ(std::system(count_command.c_str()), 0);
  // An explicit patch set: timidity's default config names a soundfont it only recommends.
  std::string render =
      "timidity -c /etc/timidity/timgm6mb.cfg -Ow -o " + wav + " " + midi + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(render.c_str()), 0);
  EXPECT_GT(std::filesystem::exists(wav) ? std::filesystem::file_size(wav) : 0u, 1000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace prnn
