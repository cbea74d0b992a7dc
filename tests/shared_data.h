// The tests' shared reference data (../shared: note_seq's test files, the ASAP corpus,
// Magenta's bundles and checkpoints). The program never needs it; tests that do skip with
// a message when it is absent. Its folder is $PRNN_SHARED_DIR when set, else the build's
// PRNN_SHARED_DIR (CMake cache variable of the same name, default <source>/../shared).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace prnn::test_data {

inline std::string shared_dir() {
  if (const char* dir = std::getenv("PRNN_SHARED_DIR"); dir && *dir) return dir;
  return PRNN_SHARED_DIR;
}

inline bool shared_data_present() { return std::filesystem::is_directory(shared_dir()); }

}  // namespace prnn::test_data

// First statement of a test that reads the shared data: skips it when the data is absent.
#define PRNN_REQUIRE_SHARED_DATA()                                                      \
  if (!::prnn::test_data::shared_data_present())                                        \
  GTEST_SKIP() << "the shared test data is absent (" << ::prnn::test_data::shared_dir() \
               << "; set PRNN_SHARED_DIR or the CMake variable of that name)"
