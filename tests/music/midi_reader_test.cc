// The MIDI reader against doc/magenta.md §2 (note_seq/pretty_midi conventions) and §11
// golden cases 30–33, plus adversarial input. Expected values are stated by hand from
// the reference, never computed with the reader.
#include "music/midi_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "midi_bytes.h"
#include "../shared_data.h"

namespace prnn {
namespace {

using testing::midi_file;
using testing::TrackBytes;
using testing::vlq;

std::string shared_midi(const std::string& name) {
  return read_file(test_data::shared_dir() + "/data/note_seq/" + name);
}

// Asserts that reading fails with an InputError naming the source and containing `what`.
void expect_rejected(const std::string& bytes, const std::string& what) {
  try {
    midi_to_note_sequence(bytes, "case.mid");
    ADD_FAILURE() << "accepted; expected an error containing '" << what << "'";
  } catch (const InputError& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("case.mid: ", 0), 0u) << message;
    EXPECT_NE(message.find(what), std::string::npos) << message;
  }
}

std::vector<int> pitches(const magenta::NoteSequence& sequence) {
  std::vector<int> out;
  for (const auto& note : sequence.notes()) out.push_back(note.pitch());
  return out;
}

TEST(MidiReaderGolden, ExampleMid) {
  PRNN_REQUIRE_SHARED_DATA();  // REFERENCE §11 case 30
  auto sequence = midi_to_note_sequence(shared_midi("example.mid"), "example.mid");
  EXPECT_EQ(sequence.ticks_per_quarter(), 220);
  ASSERT_EQ(sequence.tempos_size(), 1);
  EXPECT_DOUBLE_EQ(sequence.tempos(0).qpm(), 240.0);
  ASSERT_EQ(sequence.time_signatures_size(), 1);
  EXPECT_EQ(sequence.time_signatures(0).numerator(), 4);
  EXPECT_EQ(sequence.time_signatures(0).denominator(), 4);
  ASSERT_EQ(sequence.key_signatures_size(), 1);
  EXPECT_EQ(sequence.key_signatures(0).key(), magenta::NoteSequence::KeySignature::C);
  EXPECT_EQ(sequence.key_signatures(0).mode(), magenta::NoteSequence::KeySignature::MAJOR);
  ASSERT_EQ(sequence.notes_size(), 8);
  for (const auto& note : sequence.notes()) EXPECT_EQ(note.velocity(), 100);
  EXPECT_EQ(sequence.notes(0).pitch(), 60);
  EXPECT_NEAR(sequence.notes(0).start_time(), 0.0, 1e-9);
  EXPECT_NEAR(sequence.notes(0).end_time(), 0.2375, 1e-9);
  EXPECT_EQ(sequence.notes(1).pitch(), 62);
  EXPECT_NEAR(sequence.notes(1).start_time(), 0.25, 1e-9);
  EXPECT_NEAR(sequence.notes(1).end_time(), 0.4875, 1e-9);
  EXPECT_NEAR(sequence.total_time(), 1.9875, 1e-9);
  EXPECT_EQ(sequence.source_info().parser(), magenta::NoteSequence::SourceInfo::PRETTY_MIDI);
  EXPECT_EQ(sequence.source_info().encoding_type(), magenta::NoteSequence::SourceInfo::MIDI);
}

TEST(MidiReaderGolden, NotesComeOutInClosingOrder) {
  PRNN_REQUIRE_SHARED_DATA();  // case 31
  auto sequence = midi_to_note_sequence(shared_midi("example_event_order.mid"), "x.mid");
  EXPECT_EQ(pitches(sequence), (std::vector<int>{3, 1, 2}));
  for (const auto& note : sequence.notes()) {
    EXPECT_EQ(note.start_time(), 0.0);
    EXPECT_NEAR(note.end_time(), 10.0, 1e-9);
    EXPECT_EQ(note.program(), 78);
  }
}

TEST(MidiReaderGolden, DrumInstruments) {
  PRNN_REQUIRE_SHARED_DATA();  // case 32
  auto sequence = midi_to_note_sequence(shared_midi("example_is_drum.mid"), "x.mid");
  std::vector<int> instruments, drums;
  for (const auto& note : sequence.notes()) {
    instruments.push_back(note.instrument());
    if (note.is_drum()) drums.push_back(note.instrument());
  }
  std::sort(instruments.begin(), instruments.end());
  instruments.erase(std::unique(instruments.begin(), instruments.end()), instruments.end());
  EXPECT_EQ(instruments.size(), 40u);
  EXPECT_EQ(drums, (std::vector<int>{9, 25}));
}

TEST(MidiReaderGolden, MelodyAndEnglish) {
  PRNN_REQUIRE_SHARED_DATA();  // case 33
  auto melody = midi_to_note_sequence(shared_midi("melody.mid"), "melody.mid");
  EXPECT_EQ(pitches(melody), (std::vector<int>{60, 62, 64, 66, 68, 70, 72, 70, 68, 66, 64, 62}));
  for (int i = 0; i < melody.notes_size(); ++i) {
    EXPECT_NEAR(melody.notes(i).start_time(), 0.125 * i, 1e-9);
    EXPECT_NEAR(melody.notes(i).end_time(), 0.125 * (i + 1), 1e-9);
  }
  auto english = midi_to_note_sequence(shared_midi("english1.mid"), "english1.mid");
  EXPECT_EQ(english.ticks_per_quarter(), 480);
  ASSERT_EQ(english.time_signatures_size(), 1);
  EXPECT_EQ(english.time_signatures(0).numerator(), 3);
  EXPECT_EQ(english.time_signatures(0).denominator(), 4);
  EXPECT_EQ(english.notes_size(), 148);
  EXPECT_NEAR(english.total_time(), 36.0, 1e-9);
  // Each note starts one tick late: 1/480 quarter at 120 qpm.
  EXPECT_NEAR(english.notes(0).start_time(), 0.5 / 480, 1e-12);
}

TEST(MidiReaderTempo, TickZeroReplacesDefaultAndRepeatsAreDropped) {
  // REFERENCE §2: 1e6 µs @0, 5e5 @200, 5e5 @300 at 100 tpq → (0 s, 60), (2 s, 120).
  TrackBytes conductor;
  conductor.tempo(0, 1000000).tempo(200, 500000).tempo(100, 500000);
  TrackBytes notes;
  notes.on(0, 0, 60, 90).off(400, 0, 60);  // 200 ticks at 60 qpm + 200 at 120 = 3 s
  auto sequence = midi_to_note_sequence(midi_file(100, {conductor, notes}), "t.mid");
  ASSERT_EQ(sequence.tempos_size(), 2);
  EXPECT_DOUBLE_EQ(sequence.tempos(0).time(), 0.0);
  EXPECT_DOUBLE_EQ(sequence.tempos(0).qpm(), 60.0);
  EXPECT_DOUBLE_EQ(sequence.tempos(1).time(), 2.0);
  EXPECT_DOUBLE_EQ(sequence.tempos(1).qpm(), 120.0);
  ASSERT_EQ(sequence.notes_size(), 1);
  EXPECT_DOUBLE_EQ(sequence.notes(0).end_time(), 3.0);
  EXPECT_DOUBLE_EQ(sequence.total_time(), 3.0);
}

TEST(MidiReaderTempo, DefaultIs120AndOtherTracksAreIgnored) {
  TrackBytes first;
  first.on(0, 0, 60, 90).off(96, 0, 60);
  TrackBytes second;
  second.tempo(0, 1000000).on(0, 1, 62, 80).off(96, 1, 62);
  auto sequence = midi_to_note_sequence(midi_file(96, {first, second}), "t.mid");
  ASSERT_EQ(sequence.tempos_size(), 1);
  EXPECT_DOUBLE_EQ(sequence.tempos(0).qpm(), 120.0);
  ASSERT_EQ(sequence.notes_size(), 2);
  EXPECT_DOUBLE_EQ(sequence.notes(1).end_time(), 0.5);
}

TEST(MidiReaderTempo, SeveralChangesOnOneTickAndLateChanges) {
  TrackBytes conductor;
  // 100 tpq: 120 qpm until tick 100 (0.5 s), 60 qpm set twice at tick 100 then 240 wins
  // at the same tick; from there 0.25 s per 100 ticks.
  conductor.tempo(0, 500000).tempo(100, 1000000).tempo(0, 250000);
  conductor.on(0, 0, 60, 1).off(200, 0, 60);
  auto sequence = midi_to_note_sequence(midi_file(100, {conductor}, 0), "t.mid");
  ASSERT_EQ(sequence.tempos_size(), 3);
  EXPECT_DOUBLE_EQ(sequence.tempos(2).time(), 0.5);
  EXPECT_DOUBLE_EQ(sequence.tempos(2).qpm(), 240.0);
  ASSERT_EQ(sequence.notes_size(), 1);
  EXPECT_DOUBLE_EQ(sequence.notes(0).start_time(), 0.5);
  EXPECT_DOUBLE_EQ(sequence.notes(0).end_time(), 1.0);
}

TEST(MidiReaderPairing, OneOffClosesEveryEarlierOn) {
  TrackBytes track;  // REFERENCE §2: ONs @0 and @50, one OFF @100 → two notes ending at 100
  track.on(0, 0, 60, 10).on(50, 0, 60, 20).off(50, 0, 60).off(10, 0, 60);
  auto sequence = midi_to_note_sequence(midi_file(100, {track}), "p.mid");
  ASSERT_EQ(sequence.notes_size(), 2);
  EXPECT_EQ(sequence.notes(0).velocity(), 10);
  EXPECT_EQ(sequence.notes(1).velocity(), 20);
  EXPECT_DOUBLE_EQ(sequence.notes(0).end_time(), 0.5);
  EXPECT_DOUBLE_EQ(sequence.notes(1).end_time(), 0.5);
  EXPECT_DOUBLE_EQ(sequence.notes(1).start_time(), 0.25);
}

TEST(MidiReaderPairing, SameTickOnSurvivesOnlyIfSomethingClosed) {
  TrackBytes track;
  // Overlapping notes: ON @0, then OFF+ON at 100 (retrigger) and OFF at 200.
  track.on(0, 0, 60, 10).on(100, 0, 60, 20).off(0, 0, 60).off(100, 0, 60);
  // ON and OFF on the same tick with nothing earlier open: no note at all.
  track.on(0, 0, 64, 30).off(0, 0, 64).off(50, 0, 64);
  auto sequence = midi_to_note_sequence(midi_file(100, {track}), "p.mid");
  ASSERT_EQ(sequence.notes_size(), 2);
  EXPECT_EQ(sequence.notes(0).velocity(), 10);
  EXPECT_DOUBLE_EQ(sequence.notes(0).end_time(), 0.5);
  EXPECT_EQ(sequence.notes(1).velocity(), 20);
  EXPECT_DOUBLE_EQ(sequence.notes(1).start_time(), 0.5);
  EXPECT_DOUBLE_EQ(sequence.notes(1).end_time(), 1.0);
}

TEST(MidiReaderPairing, VelocityZeroStrayOffsAndUnclosedNotes) {
  TrackBytes track;
  track.off(0, 0, 70);                       // stray: ignored
  track.on(0, 0, 60, 100).on(10, 0, 60, 0);  // velocity-0 on closes it
  track.on(0, 0, 61, 100);                   // never closed: dropped
  track.on(0, 1, 60, 100).off(10, 0, 60);    // other channel: not closed by channel 0
  auto sequence = midi_to_note_sequence(midi_file(100, {track}), "p.mid");
  ASSERT_EQ(sequence.notes_size(), 1);
  EXPECT_EQ(sequence.notes(0).pitch(), 60);
  EXPECT_DOUBLE_EQ(sequence.notes(0).end_time(), 0.05);
}

TEST(MidiReaderPairing, RunningStatusAndMetaInBetween) {
  TrackBytes track;
  track.event(0, {0x90, 60, 100}).event(0, {62, 100});  // running status
  track.event(0, {0xFF, 0x01, 2, 'h', 'i'});            // text meta keeps running status
  track.event(48, {60, 0}).event(0, {62, 0});
  auto sequence = midi_to_note_sequence(midi_file(96, {track}), "r.mid");
  EXPECT_EQ(pitches(sequence), (std::vector<int>{60, 62}));
  EXPECT_DOUBLE_EQ(sequence.notes(1).end_time(), 0.25);
}

TEST(MidiReaderInstruments, KeyedByProgramChannelTrackInFirstCloseOrder) {
  TrackBytes piano;
  piano.event(0, {0xFF, 0x03, 5, 'P', 'i', 'a', 'n', 'o'});
  piano.on(0, 0, 60, 100).on(0, 9, 36, 100).off(10, 9, 36);  // drum closes first
  piano.event(0, {0xC0, 5}).off(10, 0, 60);                  // program when the note closes: 5
  TrackBytes strings;
  strings.event(0, {0xC1, 48}).on(0, 1, 55, 70).off(20, 1, 55);
  auto sequence = midi_to_note_sequence(midi_file(100, {piano, strings}), "i.mid");
  ASSERT_EQ(sequence.notes_size(), 3);
  EXPECT_EQ(sequence.notes(0).instrument(), 0);
  EXPECT_TRUE(sequence.notes(0).is_drum());
  EXPECT_EQ(sequence.notes(0).program(), 0);
  EXPECT_EQ(sequence.notes(1).instrument(), 1);
  EXPECT_EQ(sequence.notes(1).program(), 5);
  EXPECT_FALSE(sequence.notes(1).is_drum());
  EXPECT_EQ(sequence.notes(2).instrument(), 2);
  EXPECT_EQ(sequence.notes(2).program(), 48);
  ASSERT_EQ(sequence.instrument_infos_size(), 2);
  EXPECT_EQ(sequence.instrument_infos(0).instrument(), 0);
  EXPECT_EQ(sequence.instrument_infos(0).name(), "Piano");
  EXPECT_EQ(sequence.instrument_infos(1).instrument(), 1);
}

TEST(MidiReaderControllers, EarlyEventsAreSharedByLaterInstrumentsOfTheChannel) {
  TrackBytes track;
  // CC64 and a bend before any note: stragglers of (channel 0, track 0).
  track.event(0, {0xB0, 64, 127}).event(0, {0xE0, 0, 0x40});
  track.on(0, 0, 60, 100).off(10, 0, 60);                      // instrument 0, program 0
  track.event(0, {0xC0, 1}).on(0, 0, 62, 100).off(10, 0, 62);  // instrument 1, program 1
  track.event(0, {0xB0, 7, 100});                              // goes to instrument 1's list
  track.event(0, {0xB2, 10, 1});                               // channel 2 never plays a note: lost
  auto sequence = midi_to_note_sequence(midi_file(100, {track}), "c.mid");
  // pretty_midi hands the straggler list to both instruments: each lists both CCs.
  ASSERT_EQ(sequence.control_changes_size(), 4);
  EXPECT_EQ(sequence.control_changes(0).instrument(), 0);
  EXPECT_EQ(sequence.control_changes(0).control_number(), 64);
  EXPECT_EQ(sequence.control_changes(1).instrument(), 0);
  EXPECT_EQ(sequence.control_changes(1).control_number(), 7);
  EXPECT_EQ(sequence.control_changes(2).instrument(), 1);
  EXPECT_EQ(sequence.control_changes(2).program(), 1);
  EXPECT_EQ(sequence.control_changes(2).control_number(), 64);
  EXPECT_DOUBLE_EQ(sequence.control_changes(3).time(), 0.1);
  ASSERT_EQ(sequence.pitch_bends_size(), 2);
  EXPECT_EQ(sequence.pitch_bends(0).bend(), 0);  // 0x40 << 7 - 8192
}

TEST(MidiReaderSignatures, KeysAndTimeSignaturesFromTrackZero) {
  TrackBytes conductor;
  conductor.event(0, {0xFF, 0x58, 4, 6, 3, 24, 8});  // 6/8
  conductor.event(0, {0xFF, 0x59, 2, 0xFD, 1});      // 3 flats minor: C minor
  conductor.event(100, {0xFF, 0x59, 2, 7, 0});       // 7 sharps: C# major
  TrackBytes other;
  other.event(0, {0xFF, 0x58, 4, 3, 2, 24, 8});  // ignored
  auto sequence = midi_to_note_sequence(midi_file(100, {conductor, other}), "k.mid");
  ASSERT_EQ(sequence.time_signatures_size(), 1);
  EXPECT_EQ(sequence.time_signatures(0).numerator(), 6);
  EXPECT_EQ(sequence.time_signatures(0).denominator(), 8);
  ASSERT_EQ(sequence.key_signatures_size(), 2);
  EXPECT_EQ(sequence.key_signatures(0).key(), magenta::NoteSequence::KeySignature::C);
  EXPECT_EQ(sequence.key_signatures(0).mode(), magenta::NoteSequence::KeySignature::MINOR);
  EXPECT_EQ(sequence.key_signatures(1).key(), magenta::NoteSequence::KeySignature::C_SHARP);
  EXPECT_DOUBLE_EQ(sequence.key_signatures(1).time(), 0.5);
  EXPECT_EQ(sequence.total_time(), 0.0);
}

TEST(MidiReaderFormats, SysexUnknownMetaAndAlienChunksAreSkipped) {
  TrackBytes track;
  track.event(0, {0xF0, 3, 0x43, 0x12, 0xF7}).event(0, {0xFF, 0x7F, 2, 1, 2});
  track.on(0, 0, 60, 100).off(10, 0, 60);
  std::string file =
      testing::header(1, 1, 100) + "XFIL" + testing::be(3, 4) + "abc" + track.chunk();
  EXPECT_EQ(midi_to_note_sequence(file, "s.mid").notes_size(), 1);
  // Format 2 is read as format 1.
  EXPECT_EQ(midi_to_note_sequence(midi_file(100, {track}, 2), "f2.mid").notes_size(), 1);
}

TEST(MidiReaderAdversarial, EveryTruncationIsAnError) {
  PRNN_REQUIRE_SHARED_DATA();
  const std::string whole = shared_midi("example.mid");
  for (size_t length = 0; length < whole.size(); ++length) {
    SCOPED_TRACE(length);
    EXPECT_THROW(midi_to_note_sequence(whole.substr(0, length), "cut.mid"), InputError);
  }
}

TEST(MidiReaderAdversarial, BadHeadersAndLengths) {
  TrackBytes track;
  track.on(0, 0, 60, 100).off(10, 0, 60);
  expect_rejected("RIFF....", "not a MIDI file");
  expect_rejected(midi_file(100, {track}, 3), "format 3");
  expect_rejected(midi_file(0xE728, {track}), "SMPTE");
  expect_rejected(midi_file(0, {track}), "0 ticks per quarter");
  expect_rejected(testing::header(1, 0, 100), "no tracks");
  expect_rejected(testing::header(1, 2, 100) + track.chunk(), "declares 2 tracks");
  // A chunk claiming 4 GB is rejected before anything is allocated for it.
  expect_rejected(testing::header(1, 1, 100) + "MTrk" + testing::be(0xFFFFFFF0u, 4) + "\x00\x90",
                  "claims 4294967280 bytes");
  // A meta event whose length runs past its chunk.
  expect_rejected(
      midi_file(100, {TrackBytes().raw(std::string("\x00\xFF\x01", 3) + vlq(1000) + "x")}),
      "claims 1000 data bytes");
}

TEST(MidiReaderAdversarial, BadEvents) {
  expect_rejected(midi_file(100, {TrackBytes().event(0, {60, 100})}), "running status");
  expect_rejected(midi_file(100, {TrackBytes().event(0, {0x90, 60, 200})}), "data byte");
  expect_rejected(midi_file(100, {TrackBytes().event(0, {0xF4})}), "undefined status byte 0xf4");
  expect_rejected(midi_file(100, {TrackBytes().event(0, {0xFF, 0x51, 2, 1, 2})}), "set_tempo");
  expect_rejected(midi_file(100, {TrackBytes().tempo(0, 0)}), "set_tempo of 0");
  expect_rejected(midi_file(100, {TrackBytes().event(0, {0xFF, 0x58, 4, 4, 31, 24, 8})}),
                  "denominator");
  expect_rejected(midi_file(100, {TrackBytes().event(0, {0xFF, 0x59, 2, 8, 0})}), "not a key");
  expect_rejected(midi_file(100, {TrackBytes().event(0, {0xFF, 0x59, 2, 0, 2})}), "not a key");
  // The last tick must stay below pretty_midi's MAX_TICK (1e10, as note_seq sets it).
  expect_rejected(
      midi_file(100, {TrackBytes().on(kMaxMidiTick / 2, 0, 60, 1).off(kMaxMidiTick / 2, 0, 60)}),
      "beyond the limit");
  expect_rejected(midi_file(100, {TrackBytes().raw(std::string(12, '\xFF'))}), "variable-length");
  // The largest tick allowed still converts.
  auto sequence = midi_to_note_sequence(
      midi_file(100, {TrackBytes().on(0, 0, 60, 1).off(kMaxMidiTick - 1, 0, 60)}), "big.mid");
  EXPECT_DOUBLE_EQ(sequence.total_time(), (kMaxMidiTick - 1) * 0.005);
}

}  // namespace
}  // namespace prnn
