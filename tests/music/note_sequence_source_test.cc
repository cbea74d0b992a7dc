// NoteSequenceSource over a folder of music files, one music file and a TFRecord of
// NoteSequences: every sequence and every failure is delivered, in order, with its origin;
// an empty TFRecord is an error.
#include "music/note_sequence_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/file.h"
#include "music/midi_writer.h"
#include "base/tfrecord.h"
#include "../shared_data.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("prnn_source_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<NoteSequenceItem> collect(NoteSequenceSource& source) {
  std::vector<NoteSequenceItem> items;
  source.for_each([&](NoteSequenceItem& item) {
    items.push_back(item);
    return true;
  });
  return items;
}

TEST(MusicFileType, ByExtensionCaseInsensitive) {
  EXPECT_EQ(music_file_type("a/b.MID"), MusicFileType::kMidi);
  EXPECT_EQ(music_file_type("b.midi"), MusicFileType::kMidi);
  EXPECT_EQ(music_file_type("b.Mxl"), MusicFileType::kMusicXml);
  EXPECT_EQ(music_file_type("b.musicxml"), MusicFileType::kMusicXml);
  EXPECT_EQ(music_file_type("b.xml"), MusicFileType::kMusicXml);
  EXPECT_EQ(music_file_type("b.ABC"), MusicFileType::kAbc);
  EXPECT_FALSE(music_file_type("b.txt"));
  EXPECT_FALSE(music_file_type("mid"));
  EXPECT_FALSE(music_file_type("dir.mid/file"));
}

TEST(NoteSequenceSource, FolderDeliversSequencesAndFailuresInOrder) {
  PRNN_REQUIRE_SHARED_DATA();
  fs::path dir = fresh_dir("folder");
  std::string shared = test_data::shared_dir() + "/data/note_seq/";
  fs::copy_file(shared + "melody.mid", dir / "b.mid");
  write_file_atomic((dir / "a.MID").string(), "MThd garbage");
  write_file_atomic((dir / "notes.txt").string(), "hello");
  fs::create_directories(dir / "sub");
  fs::copy_file(shared + "example.mid", dir / "sub" / "c.midi");

  NoteSequenceSource flat(dir.string(), {});
  ASSERT_TRUE(flat.reads_music_files());
  EXPECT_EQ(flat.listing().skipped_by_extension.at("txt"), 1);
  EXPECT_EQ(flat.listing().in_subfolders, 1);
  auto items = collect(flat);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].relative_path, "a.MID");
  EXPECT_FALSE(items[0].ok);
  EXPECT_NE(items[0].error.find("a.MID"), std::string::npos) << items[0].error;
  EXPECT_EQ(items[1].relative_path, "b.mid");
  ASSERT_TRUE(items[1].ok);
  EXPECT_EQ(items[1].sequence.notes_size(), 12);

  NoteSequenceSource::Options options;
  options.recursive = true;
  options.batch_size = 1;
  NoteSequenceSource deep(dir.string(), options);
  items = collect(deep);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].relative_path, "sub/c.midi");
  EXPECT_EQ(items[2].sequence.notes_size(), 8);
  fs::remove_all(dir);
}

TEST(NoteSequenceSource, TFRecordReportsBadRecordsByOffsetAndContinues) {
  fs::path dir = fresh_dir("tfrecord");
  std::string path = (dir / "seqs.tfrecord").string();
  magenta::NoteSequence sequence;
  sequence.set_id("first");
  sequence.add_notes()->set_pitch(60);
  std::string good = sequence.SerializeAsString();
  std::string bad_proto = "\xFF\xFF\xFF";  // not a NoteSequence
  std::string file = frame_tfrecord(good) + frame_tfrecord(bad_proto);
  std::string corrupt = frame_tfrecord(good);
  corrupt[14] ^= 1;  // data CRC no longer matches: recoverable
  file += corrupt + frame_tfrecord(good);
  write_file_atomic(path, file);

  NoteSequenceSource source(path, {});
  EXPECT_FALSE(source.reads_music_files());
  auto items = collect(source);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_TRUE(items[0].ok);
  EXPECT_EQ(items[0].sequence.id(), "first");
  EXPECT_FALSE(items[1].ok);
  const uint64_t second = frame_tfrecord(good).size();
  EXPECT_EQ(items[1].record_offset, second);
  EXPECT_NE(items[1].error.find("offset " + std::to_string(second)), std::string::npos);
  EXPECT_FALSE(items[2].ok);
  EXPECT_NE(items[2].error.find("checksum"), std::string::npos) << items[2].error;
  EXPECT_TRUE(items[3].ok);
  fs::remove_all(dir);
}

TEST(NoteSequenceSource, MissingPathIsAnInputError) {
  EXPECT_THROW(NoteSequenceSource("/nonexistent/prnn/path", {}), InputError);
}

// One music file is a source of its own: its sequence, named by its base name.
TEST(NoteSequenceSource, OneMusicFile) {
  fs::path dir = fresh_dir("one_file");
  magenta::NoteSequence sequence;
  auto* note = sequence.add_notes();
  note->set_pitch(64);
  note->set_velocity(80);
  note->set_end_time(0.5);
  sequence.set_total_time(0.5);
  const std::string path = (dir / "one.mid").string();
  note_sequence_to_midi_file(sequence, path);
  NoteSequenceSource source(path, {});
  EXPECT_TRUE(source.reads_music_files());
  auto items = collect(source);
  ASSERT_EQ(items.size(), 1u);
  ASSERT_TRUE(items[0].ok) << items[0].error;
  EXPECT_EQ(items[0].path, path);
  EXPECT_EQ(items[0].relative_path, "one.mid");
  ASSERT_EQ(items[0].sequence.notes_size(), 1);
  EXPECT_EQ(items[0].sequence.notes(0).pitch(), 64);
  fs::remove_all(dir);
}

// A TFRecord without records (an empty file) is an error naming it, not an empty stream.
TEST(NoteSequenceSource, EmptyTFRecordIsAnInputError) {
  fs::path dir = fresh_dir("empty");
  const std::string path = (dir / "none.tfrecord").string();
  write_file_atomic(path, "");
  try {
    NoteSequenceSource source(path, {});
    ADD_FAILURE() << "no error for an empty TFRecord";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": empty file"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace prnn
