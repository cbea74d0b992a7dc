// Which request targets the studio serves from its web folder: plain files with known
// types only; traversal, encoded or hidden paths, folders and symbolic links leading out
// are not found.
#include "studio/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace prnn {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    base_ = std::filesystem::temp_directory_path() / ("prnn_static_" + std::to_string(getpid()));
    std::filesystem::remove_all(base_);
    root_ = (base_ / "web").string();
    std::filesystem::create_directories(base_ / "web" / "lib");
    std::filesystem::create_directories(base_ / "web" / ".git");
    for (const char* name : {"web/index.html", "web/lib/app.js", "web/.git/config.txt",
                             "web/notes.bin", "secret.txt"}) {
      std::ofstream(base_ / name) << "x";
    }
    std::filesystem::create_symlink(base_ / "secret.txt", base_ / "web" / "leak.txt");
  }
  ~StaticFilesTest() override { std::filesystem::remove_all(base_); }
  std::filesystem::path base_;
  std::string root_;
};

TEST_F(StaticFilesTest, ServesPlainFilesOfKnownTypes) {
  const std::string canonical_root = std::filesystem::canonical(root_).string();
  EXPECT_EQ(resolve_static_file(root_, "/"), canonical_root + "/index.html");
  EXPECT_EQ(resolve_static_file(root_, "/index.html?v=3"), canonical_root + "/index.html");
  EXPECT_EQ(resolve_static_file(root_, "/lib/app.js"), canonical_root + "/lib/app.js");
  EXPECT_EQ(content_type_for("/lib/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.mp3"), "audio/mpeg");
}

TEST_F(StaticFilesTest, RefusesEverythingElse) {
  for (const char* target :
       {"", "index.html", "/../secret.txt", "/lib/../../secret.txt", "/%2e%2e/secret.txt", "/lib",
        "/lib/", "/.git/config.txt", "/notes.bin", "/leak.txt", "/missing.js", "//etc/passwd.txt",
        "/lib\\app.js", "/index.html\n"}) {
    EXPECT_FALSE(resolve_static_file(root_, target).has_value()) << "'" << target << "'";
  }
}

}  // namespace
}  // namespace prnn
