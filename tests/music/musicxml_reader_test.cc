// Golden cases from note_seq's musicxml_parser_test (doc/magenta.md §11, cases 35-41) on the
// shared note_seq test files, plus the documented deviations from note_seq.
#include "music/musicxml_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "../shared_data.h"

namespace prnn {
namespace {

const std::string kNoteSeqData = test_data::shared_dir() + "/data/note_seq/";

magenta::NoteSequence read(const std::string& name, MusicXmlOptions options = {}) {
  return musicxml_file_to_note_sequence(kNoteSeqData + name, options);
}

// (pitch, start, end) of every note, in order.
std::vector<std::tuple<int, double, double>> notes_of(const magenta::NoteSequence& sequence) {
  std::vector<std::tuple<int, double, double>> notes;
  for (const auto& note : sequence.notes()) {
    notes.emplace_back(note.pitch(), note.start_time(), note.end_time());
  }
  return notes;
}

std::string read_error(const std::string& xml) {
  try {
    musicxml_bytes_to_note_sequence(xml, "inline.xml");
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

// A one-part score around `measure_body`.
std::string score(const std::string& measure_body, const std::string& second_measure = "") {
  return "<score-partwise><part-list><score-part id='P1'><part-name>X</part-name></score-part>"
         "</part-list><part id='P1'><measure number='1'>" +
         measure_body + "</measure>" + second_measure + "</part></score-partwise>";
}

TEST(MusicXmlReader, FluteScale) {  // case 35
  PRNN_REQUIRE_SHARED_DATA();
  const magenta::NoteSequence sequence = read("flute_scale.xml");
  ASSERT_EQ(sequence.key_signatures_size(), 1);
  EXPECT_EQ(sequence.key_signatures(0).key(), magenta::NoteSequence::KeySignature::F);
  ASSERT_EQ(sequence.time_signatures_size(), 1);
  EXPECT_EQ(sequence.time_signatures(0).numerator(), 4);
  EXPECT_EQ(sequence.time_signatures(0).denominator(), 4);
  ASSERT_EQ(sequence.tempos_size(), 1);
  EXPECT_EQ(sequence.tempos(0).qpm(), 120);
  ASSERT_EQ(sequence.part_infos_size(), 1);
  EXPECT_EQ(sequence.part_infos(0).name(), "Flute");
  const std::vector<int> pitches = {65, 67, 69, 70, 72, 74, 76, 77};
  ASSERT_EQ(sequence.notes_size(), 8);
  for (int i = 0; i < 8; ++i) {
    const auto& note = sequence.notes(i);
    EXPECT_EQ(note.pitch(), pitches[i]);
    EXPECT_DOUBLE_EQ(note.start_time(), 0.5 * i);
    EXPECT_DOUBLE_EQ(note.end_time(), 0.5 * i + 0.5);
    EXPECT_EQ(note.velocity(), 64);
    EXPECT_EQ(note.numerator(), 1);
    EXPECT_EQ(note.denominator(), 4);
    EXPECT_EQ(note.voice(), 1);
  }
  EXPECT_DOUBLE_EQ(sequence.total_time(), 4);
  EXPECT_EQ(sequence.ticks_per_quarter(), 220);
  EXPECT_EQ(sequence.source_info().parser(), magenta::NoteSequence::SourceInfo::MAGENTA_MUSIC_XML);
  // The transposing clarinet and the compressed files sound the same notes.
  for (const char* other : {"clarinet_scale.xml", "flute_scale.mxl", "flute_scale_with_png.mxl"}) {
    EXPECT_EQ(notes_of(read(other)), notes_of(sequence)) << other;
  }
  EXPECT_EQ(read("clarinet_scale.xml").key_signatures(0).key(),
            magenta::NoteSequence::KeySignature::F);
}

TEST(MusicXmlReader, UnicodeFilenameAndAtonalTransposition) {  // case 36
  PRNN_REQUIRE_SHARED_DATA();
  EXPECT_EQ(read("unicode_filename.mxl").notes_size(), 8);
  const magenta::NoteSequence sequence = read("atonal_transposition_change.xml");
  std::vector<int> pitches;
  for (const auto& note : sequence.notes()) pitches.push_back(note.pitch());
  EXPECT_EQ(pitches, (std::vector<int>{72, 74, 76, 77, 79, 77, 76, 74}));
  EXPECT_EQ(sequence.key_signatures(0).key(), magenta::NoteSequence::KeySignature::C);
}

TEST(MusicXmlReader, UnmeteredExample) {  // case 37
  PRNN_REQUIRE_SHARED_DATA();
  const magenta::NoteSequence sequence = read("unmetered_example.xml");
  ASSERT_EQ(sequence.time_signatures_size(), 1);
  EXPECT_EQ(sequence.time_signatures(0).numerator(), 11);
  EXPECT_EQ(sequence.time_signatures(0).denominator(), 8);
  const std::vector<std::tuple<int, double, double, int, int>> expected = {{72, 0, .5, 1, 4},
                                                                           {74, .5, .75, 1, 8},
                                                                           {76, .75, 1.25, 1, 4},
                                                                           {77, 1.25, 1.75, 1, 4},
                                                                           {79, 1.75, 2.75, 1, 2}};
  ASSERT_EQ(sequence.notes_size(), 5);
  for (int i = 0; i < 5; ++i) {
    const auto& note = sequence.notes(i);
    EXPECT_EQ(std::make_tuple(note.pitch(), note.start_time(), note.end_time(), note.numerator(),
                              note.denominator()),
              expected[i]);
  }
}

TEST(MusicXmlReader, WholeMeasureRestForward) {  // case 38
  PRNN_REQUIRE_SHARED_DATA();
  const magenta::NoteSequence sequence = read("whole_measure_rest_forward.xml");
  ASSERT_EQ(sequence.time_signatures_size(), 2);
  EXPECT_EQ(sequence.time_signatures(0).numerator(), 4);
  EXPECT_EQ(sequence.time_signatures(0).time(), 0);
  EXPECT_EQ(sequence.time_signatures(1).numerator(), 2);
  EXPECT_EQ(sequence.time_signatures(1).denominator(), 4);
  EXPECT_EQ(sequence.time_signatures(1).time(), 6);
  EXPECT_EQ(notes_of(sequence), (std::vector<std::tuple<int, double, double>>{
                                    {72, 0, 2}, {72, 4, 6}, {60, 6, 7}, {60, 8, 9}}));
  EXPECT_EQ(sequence.notes(0).denominator(), 1);
  EXPECT_EQ(sequence.notes(2).denominator(), 2);
  EXPECT_DOUBLE_EQ(sequence.total_time(), 9);
}

TEST(MusicXmlReader, MeterTest) {  // case 39: signatures are not reduced
  PRNN_REQUIRE_SHARED_DATA();
  const magenta::NoteSequence sequence = read("meter_test.xml");
  const std::vector<std::tuple<int, int, double>> expected = {
      {1, 4, 0},     {2, 4, .5},    {3, 4, 1.5},   {4, 4, 3},     {5, 4, 5},      {6, 4, 7.5},
      {7, 4, 10.5},  {1, 8, 14},    {2, 8, 14.25}, {3, 8, 14.75}, {4, 8, 15.5},   {5, 8, 16.5},
      {6, 8, 17.75}, {7, 8, 19.25}, {8, 8, 21},    {9, 8, 23},    {10, 8, 25.25}, {11, 8, 27.75},
      {12, 8, 30.5}, {2, 2, 33.5},  {3, 2, 35.5},  {4, 2, 38.5},  {4, 4, 42.5},   {2, 2, 44.5}};
  ASSERT_EQ(sequence.time_signatures_size(), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& signature = sequence.time_signatures(static_cast<int>(i));
    EXPECT_EQ(std::make_tuple(signature.numerator(), signature.denominator(), signature.time()),
              expected[i])
        << i;
  }
  EXPECT_DOUBLE_EQ(sequence.total_time(), 46.5);
}

TEST(MusicXmlReader, ChordSymbols) {  // case 40
  PRNN_REQUIRE_SHARED_DATA();
  const magenta::NoteSequence sequence = read("chord_symbols.xml");
  const std::vector<std::pair<std::string, double>> expected = {
      {"N.C.", 0},    {"Cmaj7", 2},          {"F6(add9)", 6}, {"F#dim7/A", 8},  {"Bm7b5", 10},
      {"E7(#9)", 12}, {"A7(add9)(no3)", 14}, {"Bbsus2", 16},  {"Am(maj7)", 18}, {"D13", 19},
      {"E5", 20},     {"Caug", 22}};
  ASSERT_EQ(sequence.text_annotations_size(), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& annotation = sequence.text_annotations(static_cast<int>(i));
    EXPECT_EQ(annotation.text(), expected[i].first);
    EXPECT_DOUBLE_EQ(annotation.time(), expected[i].second);
    EXPECT_EQ(annotation.annotation_type(), magenta::NoteSequence::TextAnnotation::CHORD_SYMBOL);
  }
}

TEST(MusicXmlReader, ErrorKinds) {  // case 41
  PRNN_REQUIRE_SHARED_DATA();
  const auto error_of = [](const std::string& name) {
    try {
      read(name);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("alternating_meter.xml").find("alternating time signatures"),
            std::string::npos);
  EXPECT_NE(error_of("mid_measure_time_signature.xml").find("two time signatures"),
            std::string::npos);
  EXPECT_NE(error_of("unpitched.xml").find("unpitched"), std::string::npos);
  EXPECT_NE(error_of("unpitched.xml").find("unpitched.xml"), std::string::npos);
  EXPECT_NE(read_error(score("<attributes><time><beats>4+5</beats><beat-type>4</beat-type>"
                             "</time></attributes>"))
                .find("cannot parse time signature 4+5/4"),
            std::string::npos);
  EXPECT_NE(read_error(score("<attributes><key><mode>major</mode></key></attributes>"))
                .find("key signature without <fifths>"),
            std::string::npos);
  // An empty zip (just the end-of-central-directory record) is no .mxl.
  const std::string empty_zip = std::string("PK\x05\x06") + std::string(18, '\0');
  EXPECT_NE(read_error(empty_zip).find("bad .mxl container"), std::string::npos);
  EXPECT_NE(read_error("<score-partwise><part").find("not well-formed XML"), std::string::npos);
}

TEST(MusicXmlReader, KeyTransposedByChromaticInterval) {  // case 41: Eb, chromatic -9 -> Gb
  const magenta::NoteSequence sequence = musicxml_bytes_to_note_sequence(
      score("<attributes><key><fifths>-3</fifths></key><transpose><chromatic>-9</chromatic>"
            "</transpose></attributes>"),
      "inline.xml");
  EXPECT_EQ(sequence.key_signatures(0).key(), magenta::NoteSequence::KeySignature::G_FLAT);
}

TEST(MusicXmlReader, ZipEntriesClaimingHugeSizesAreNotTrusted) {
  PRNN_REQUIRE_SHARED_DATA();
  // Every size field of flute_scale.mxl forged to ~4 GiB: the entries are inflated as far as
  // their data goes, so the score reads as before instead of allocating what is claimed.
  std::string zip = read_file(kNoteSeqData + "flute_scale.mxl");
  const auto forge = [&](std::string_view signature, size_t size_offset) {
    for (size_t at = zip.find(signature); at != std::string::npos;
         at = zip.find(signature, at + 4)) {
      for (size_t i = 0; i < 4; ++i) zip[at + size_offset + i] = i == 0 ? '\xf0' : '\xff';
    }
  };
  forge(std::string_view("PK\x01\x02", 4), 24);  // central directory: uncompressed size
  forge(std::string_view("PK\x03\x04", 4), 22);  // local header: uncompressed size
  EXPECT_EQ(notes_of(musicxml_bytes_to_note_sequence(zip, "forged.mxl")),
            notes_of(read("flute_scale.mxl")));
  // Cut inside the central directory: a bad archive, reported as such.
  EXPECT_NE(read_error(zip.substr(0, zip.size() - 30)).find("inline.xml: bad .mxl container"),
            std::string::npos);
}

}  // namespace
}  // namespace prnn
