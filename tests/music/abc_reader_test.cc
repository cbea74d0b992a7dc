// ABC behaviour beyond the shared files, with expectations worked out from the ABC 2.1
// standard and note_seq's rules (doc/magenta.md §3), and the documented deviations (doc/abc.md).
#include "music/abc_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.h"

namespace prnn {
namespace {

using Key = magenta::NoteSequence::KeySignature;

std::vector<int> pitches(const magenta::NoteSequence& sequence) {
  std::vector<int> result;
  for (const auto& note : sequence.notes()) result.push_back(note.pitch());
  return result;
}

magenta::NoteSequence only_tune(const std::string& text) {
  const AbcParseResult result = abc_text_to_note_sequences(text, "test.abc");
  EXPECT_TRUE(result.errors.empty()) << (result.errors.empty() ? "" : result.errors[0]);
  EXPECT_EQ(result.tunes.size(), 1u);
  return result.tunes.empty() ? magenta::NoteSequence() : result.tunes[0].sequence;
}

TEST(AbcReader, KeysAccidentalsAndOctaves) {
  // D major: F and C sharp; a bar accidental lasts to the bar line.
  const auto sequence = only_tune("X:1\nK:D\nF c =F F | F C, c' ^^G __B\n");
  EXPECT_EQ(pitches(sequence), (std::vector<int>{66, 73, 65, 65, 66, 49, 85, 69, 69}));
  EXPECT_EQ(sequence.key_signatures(0).key(), Key::D);
}

TEST(AbcReader, ModesAndSpelledKeys) {
  const auto key_of = [](const std::string& key) {
    const auto sequence = only_tune("X:1\nK:" + key + "\nB\n");
    return std::make_tuple(sequence.key_signatures(0).key(), sequence.key_signatures(0).mode(),
                           sequence.notes(0).pitch());
  };
  EXPECT_EQ(key_of("Am"), std::make_tuple(Key::A, Key::MINOR, 71));
  EXPECT_EQ(key_of("F#m"), std::make_tuple(Key::F_SHARP, Key::MINOR, 71));
  EXPECT_EQ(key_of("D Dorian"), std::make_tuple(Key::D, Key::DORIAN, 71));
  EXPECT_EQ(key_of("Bb"), std::make_tuple(Key::B_FLAT, Key::MAJOR, 70));
  EXPECT_EQ(key_of("Cb"), std::make_tuple(Key::B, Key::MAJOR, 70));  // 7 flats (note_seq: KeyError)
  EXPECT_EQ(key_of("C exp _B"), std::make_tuple(Key::C, Key::MAJOR, 70));
}

TEST(AbcReader, LengthsTempoAndBrokenRhythm) {
  // L:1/4 at Q:1/4=60: one second per unit.
  const auto sequence = only_tune("X:1\nL:1/4\nQ:1/4=60\nK:C\nC2 D/ E// F3/2 G>A\n");
  std::vector<std::pair<double, double>> times;
  for (const auto& note : sequence.notes()) times.emplace_back(note.start_time(), note.end_time());
  EXPECT_EQ(times, (std::vector<std::pair<double, double>>{
                       {0, 2}, {2, 2.5}, {2.5, 2.75}, {2.75, 4.25}, {4.25, 5.75}, {5.75, 6.25}}));
  EXPECT_EQ(sequence.tempos(0).qpm(), 60);
  EXPECT_DOUBLE_EQ(sequence.total_time(), 6.25);
}

TEST(AbcReader, FailedTunesAreReportedAndOthersKept) {
  const AbcParseResult result = abc_text_to_note_sequences(
      "X:1\nK:C\nC [CEG]\n\nX:2\nK:C\nC (3CDE\n\nX:3\nK:C\nC z\n\nX:4\nK:C\nC D\n\n"
      "X:5\nL:1/0\nK:C\nC\n\nX:6\nK:Hm\nC\n",
      "book.abc");
  ASSERT_EQ(result.tunes.size(), 1u);
  EXPECT_EQ(result.tunes[0].reference_number, "4");
  ASSERT_EQ(result.errors.size(), 5u);
  EXPECT_NE(result.errors[0].find("book.abc: tune X:1: chords"), std::string::npos);
  EXPECT_NE(result.errors[1].find("TupletError"), std::string::npos);
  EXPECT_NE(result.errors[2].find("unexpected character: [z]"), std::string::npos);
  EXPECT_NE(result.errors[3].find("tune X:5"), std::string::npos);
  EXPECT_NE(result.errors[4].find("could not parse key"), std::string::npos);
}

TEST(AbcReader, DuplicateReferenceNumberIsAnError) {
  EXPECT_THROW(abc_text_to_note_sequences("X:1\nK:C\nC\n\nX:1\nK:C\nD\n", "dup.abc"), InputError);
}

}  // namespace
}  // namespace prnn
