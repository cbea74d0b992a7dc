// compare: folders of MIDI files read into feature sets, compared, and the command's
// output and errors.
#include "quality/feature_comparison.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "base/error.h"
#include "base/file.h"
#include "music/midi_writer.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

std::string fresh_dir(const std::string& name) {
  std::string dir = testing::TempDir() + "compare_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A 30 s performance: `rate` notes per second around `pitch`.
void write_performance(const std::string& path, double rate, int pitch) {
  magenta::NoteSequence s;
  s.set_ticks_per_quarter(220);
  for (int i = 0; i < static_cast<int>(30 * rate); ++i) {
    auto* note = s.add_notes();
    note->set_pitch(pitch + (i * 5) % 13);
    note->set_velocity(40 + (i * 7) % 60);
    note->set_start_time(i / rate);
    note->set_end_time(i / rate + 0.3);
  }
  s.set_total_time(30);
  note_sequence_to_midi_file(s, path);
}

std::pair<int, std::string> run(const std::string& arguments) {
  std::string command = std::string(PRNN_BINARY) + " compare " + arguments + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(FeatureComparison, AFolderAgainstItselfOverlapsFullyAndAgainstAnotherHardly) {
  const std::string slow = fresh_dir("slow"), fast = fresh_dir("fast");
  for (int i = 0; i < 6; ++i) {
    write_performance(slow + "/" + std::to_string(i) + ".mid", 1 + 0.2 * i, 40 + i);
    write_performance(fast + "/" + std::to_string(i) + ".mid", 12 + 0.5 * i, 80 + i);
  }
  fs::create_directories(slow + "/sub");
  write_performance(slow + "/sub/score.mid", 50, 20);
  const FeatureSet a = read_feature_set(slow, {}, "score\\.mid$", /*recursive=*/true);
  EXPECT_EQ(a.files, 6) << "sub/score.mid is excluded";
  EXPECT_EQ(a.windows.size(), 6u);
  FeatureComparison same = compare_feature_sets(a, a);
  for (int f = 0; f < kNumFeatures; ++f) {
    if (f == kMaxDurationShare) continue;  // 0 everywhere: constant, overlap 1
    EXPECT_NEAR(same.overlap[f], 1.0, 1e-3) << feature_name(f);
  }
  EXPECT_DOUBLE_EQ(same.overlap[kMaxDurationShare], 1.0);
  EXPECT_LT(same.mean_ceiling, 1.0) << "two halves of six different files differ";
  EXPECT_GT(same.mean_ceiling, 0.0);
  FeatureComparison apart = compare_feature_sets(read_feature_set(fast, {}), a);
  EXPECT_LT(apart.overlap[kNotesPerSecond], 1e-3);
  EXPECT_LT(apart.overlap[kMeanPitch], 1e-3);
  EXPECT_NEAR(apart.generated[kNotesPerSecond].mean, (12 + 12.5 + 13 + 13.5 + 14 + 14.5) / 6, 0.05);

  auto [status, output] = run("--generated=" + fast + " --reference=" + slow +
                              " --recursive --exclude='score\\.mid$' --json");
  ASSERT_EQ(status, 0) << output;
  nlohmann::json json = nlohmann::json::parse(output);
  EXPECT_EQ(json["reference"]["files"], 6);
  EXPECT_LT(json["features"]["notes_per_second"]["overlap"].get<double>(), 1e-3);
  EXPECT_TRUE(json["features"]["mean_pitch"]["ceiling"].is_number());
  auto [table_status, table] = run("--generated=" + slow + " --reference=" + slow);
  ASSERT_EQ(table_status, 0) << table;
  EXPECT_NE(table.find("pitch_class_entropy"), std::string::npos) << table;
  EXPECT_NE(table.find("ceiling"), std::string::npos) << table;
}

TEST(FeatureComparison, FoldersWithoutMidiFilesAreErrorsNamingThem) {
  const std::string empty = fresh_dir("empty");
  write_file_atomic(empty + "/notes.txt", "not music");
  const std::string some = fresh_dir("some");
  write_performance(some + "/a.mid", 2, 60);
  auto [status, output] = run("--generated=" + empty + " --reference=" + some);
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find(empty + " holds no music files"), std::string::npos) << output;
  auto [missing_status, missing] = run("--generated=" + some + " --reference=" + some + "/nope");
  EXPECT_EQ(missing_status, 1) << missing;
  EXPECT_NE(missing.find(some + "/nope"), std::string::npos) << missing;
  EXPECT_THROW(read_feature_set(empty, {}), InputError);
}

}  // namespace
}  // namespace prnn
