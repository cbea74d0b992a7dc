// list_music_files: what every command that takes a folder reads. A tree (composer/piece/
// performance, as ASAP) is read only with `recursive`; without it the music files below
// are counted and the error for a folder without music says "add --recursive".
#include "music/music_file_listing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

class MusicFileListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("prnn_listing_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The listing only looks at names, so the files need no content.
  void touch(const std::string& relative) {
    fs::create_directories((dir_ / relative).parent_path());
    write_file_atomic((dir_ / relative).string(), "x");
  }
  std::string message_of(const std::string& path, bool recursive) {
    try {
      list_music_files(path, recursive);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

TEST_F(MusicFileListingTest, ATreeIsReadOnlyWithRecursive) {
  touch("Bach/Fugue/bwv_846/Shi05M.mid");
  touch("Bach/Fugue/bwv_846/midi_score.MID");
  touch("Bach/Fugue/bwv_846/xml_score.musicxml");
  touch("Chopin/Etude/op10/annotations.txt");
  touch("Chopin/ballade.abc");
  touch("README");

  EXPECT_EQ(message_of(dir_.string(), false),
            dir_.string() + " holds no music files (4 more in sub-folders: add --recursive)");

  MusicFileListing deep = list_music_files(dir_.string(), true);
  EXPECT_TRUE(deep.is_folder);
  EXPECT_EQ(deep.root, dir_.string());
  // Sorted by relative path, byte order (upper case first), any case of extension.
  EXPECT_EQ(deep.relative_paths,
            (std::vector<std::string>{
                "Bach/Fugue/bwv_846/Shi05M.mid", "Bach/Fugue/bwv_846/midi_score.MID",
                "Bach/Fugue/bwv_846/xml_score.musicxml", "Chopin/ballade.abc"}));
  EXPECT_EQ(deep.skipped_by_extension, (std::map<std::string, int>{{"", 1}, {"txt", 1}}));
  EXPECT_EQ(deep.in_subfolders, 0);
  EXPECT_EQ(deep.path_of(deep.relative_paths[3]), (dir_ / "Chopin/ballade.abc").string());
}

TEST_F(MusicFileListingTest, FlatListingCountsWhatItLeavesInSubFolders) {
  touch("b.xml");
  touch("a.midi");
  touch("notes.TXT");
  touch("sub/c.mxl");
  touch("sub/deeper/d.mid");
  touch("sub/e.json");
  MusicFileListing flat = list_music_files(dir_.string() + "/", false);
  EXPECT_EQ(flat.relative_paths, (std::vector<std::string>{"a.midi", "b.xml"}));
  EXPECT_EQ(flat.in_subfolders, 2);
  // Only the folders read count their other files.
  EXPECT_EQ(flat.skipped_by_extension, (std::map<std::string, int>{{"txt", 1}}));
}

TEST_F(MusicFileListingTest, OneFileIsItself) {
  touch("sub/piece.mid");
  const std::string path = (dir_ / "sub/piece.mid").string();
  MusicFileListing one = list_music_files(path, false);
  EXPECT_FALSE(one.is_folder);
  EXPECT_EQ(one.relative_paths, (std::vector<std::string>{"piece.mid"}));
  EXPECT_EQ(one.path_of("piece.mid"), path);
}

TEST_F(MusicFileListingTest, NothingToReadIsAnErrorSayingWhatIsThere) {
  EXPECT_EQ(message_of(dir_.string(), true), dir_.string() + " holds no music files: it is empty");
  touch("a.txt");
  touch("b.txt");
  touch("c.json");
  EXPECT_EQ(message_of(dir_.string(), false),
            dir_.string() +
                " holds no music files (.mid .midi .xml .musicxml .mxl .abc), only 1 .json 2 .txt");
  EXPECT_EQ(message_of((dir_ / "missing").string(), false),
            (dir_ / "missing").string() + ": no such file or folder");
  EXPECT_NE(message_of((dir_ / "a.txt").string(), false).find("a.txt: not a music file"),
            std::string::npos);
}

TEST_F(MusicFileListingTest, LinksKeepTheirNames) {
  touch("real/x.mid");
  fs::create_directories(dir_ / "top");
  fs::create_symlink(dir_ / "real/x.mid", dir_ / "top/alias.mid");
  MusicFileListing listing = list_music_files((dir_ / "top").string(), false);
  EXPECT_EQ(listing.relative_paths, (std::vector<std::string>{"alias.mid"}));
}

}  // namespace
}  // namespace prnn
