// Our score readers against NoteSequences that note_seq itself produced from the same
// files (tests/fixtures/note_seq_golden, made by generate.sh there). None of these files
// touches a documented deviation (doc/musicxml.md), so the whole proto must agree.
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "base/file.h"
#include "music/abc_reader.h"
#include "music/musicxml_reader.h"
#include "music/section_groups.h"
#include "../shared_data.h"

namespace prnn {
namespace {

const std::filesystem::path kGolden =
    std::filesystem::path(PRNN_SOURCE_DIR) / "tests/fixtures/note_seq_golden";
const std::filesystem::path kData =
    std::filesystem::path(test_data::shared_dir()) / "data/note_seq";

magenta::NoteSequence golden(const std::filesystem::path& path) {
  magenta::NoteSequence sequence;
  const auto status = google::protobuf::util::JsonStringToMessage(read_file(path), &sequence);
  EXPECT_TRUE(status.ok()) << path;
  return sequence;
}

// Differences as text; empty when equal (doubles compared to 1e-9).
std::string differences(const google::protobuf::Message& expected,
                        const google::protobuf::Message& actual) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_float_comparison(google::protobuf::util::DefaultFieldComparator::APPROXIMATE);
  comparator.SetDefaultFractionAndMargin(0, 1e-9);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  std::string report;
  differencer.ReportDifferencesToString(&report);
  differencer.Compare(expected, actual);
  return report;
}

TEST(NoteSeqGolden, EveryMusicXmlFileNoteSeqReads) {
  PRNN_REQUIRE_SHARED_DATA();
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kGolden / "musicxml")) {
    const std::string score_name = entry.path().stem().string();  // e.g. flute_scale.xml
    const magenta::NoteSequence ours =
        musicxml_file_to_note_sequence((kData / score_name).string());
    EXPECT_EQ(differences(golden(entry.path()), ours), "") << score_name;
    ++files;
  }
  EXPECT_EQ(files, 11);
}

TEST(NoteSeqGolden, EnglishAbcTuneOneAndItsExpansion) {
  PRNN_REQUIRE_SHARED_DATA();  // doc/magenta.md §11 case 42
  const AbcParseResult result =
      abc_text_to_note_sequences(read_file(kData / "english.abc"), "english.abc");
  ASSERT_EQ(result.tunes.size(), 1u);
  EXPECT_EQ(result.tunes[0].reference_number, "1");
  const magenta::NoteSequence& tune = result.tunes[0].sequence;
  EXPECT_EQ(differences(golden(kGolden / "abc/english_1.json"), tune), "");
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_NE(result.errors[0].find("VariantEndingError"), std::string::npos) << result.errors[0];
  EXPECT_NE(result.errors[1].find("PartError"), std::string::npos) << result.errors[1];

  EXPECT_EQ(tune.key_signatures(0).key(), magenta::NoteSequence::KeySignature::G);
  EXPECT_EQ(tune.time_signatures(0).numerator(), 3);
  ASSERT_EQ(tune.section_annotations_size(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(tune.section_annotations(i).time(), 6.0 * i);
  for (const auto& group : tune.section_groups()) EXPECT_EQ(group.num_times(), 2);

  // Expanded: note_seq's expand_section_groups gives english1.mid's 148 notes in 36 s.
  const magenta::NoteSequence expanded = expand_section_groups(tune);
  const magenta::NoteSequence expected = golden(kGolden / "abc/english_1_expanded.json");
  ASSERT_EQ(expanded.notes_size(), 148);
  EXPECT_DOUBLE_EQ(expanded.total_time(), 36.0);
  ASSERT_EQ(expected.notes_size(), expanded.notes_size());
  for (int i = 0; i < expanded.notes_size(); ++i) {
    EXPECT_EQ(differences(expected.notes(i), expanded.notes(i)), "") << "note " << i;
  }
}

TEST(NoteSeqGolden, ZochartiLochIsMultiVoice) {
  PRNN_REQUIRE_SHARED_DATA();  // case 42
  const AbcParseResult result =
      abc_text_to_note_sequences(read_file(kData / "zocharti_loch.abc"), "zocharti_loch.abc");
  EXPECT_TRUE(result.tunes.empty());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("MultiVoiceError"), std::string::npos);
  EXPECT_NE(result.errors[0].find("zocharti_loch.abc"), std::string::npos);
}

}  // namespace
}  // namespace prnn
