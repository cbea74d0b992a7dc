#include "model/run_dir.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "base/error.h"
#include "base/number.h"
#include "base/log.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

const std::regex& checkpoint_name() {
  static const std::regex pattern(R"(model\.ckpt-(\d{1,18})\.safetensors)");
  return pattern;
}

const std::regex& temporary_name() {
  static const std::regex pattern(R"(model\.ckpt-\d+\.safetensors\.tmp\.\d+\.\d+)");
  return pattern;
}

std::vector<fs::path> directory_entries(const std::string& dir) {
  std::vector<fs::path> entries;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return entries;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    entries.push_back(it->path());
  }
  if (error) throw InputError(dir + ": cannot list: " + error.message());
  return entries;
}

}  // namespace

std::string checkpoint_path(const std::string& train_dir, int64_t step) {
  return train_dir + "/model.ckpt-" + std::to_string(step) + ".safetensors";
}

std::vector<CheckpointFile> list_checkpoints(const std::string& train_dir) {
  std::vector<CheckpointFile> files;
  for (const fs::path& entry : directory_entries(train_dir)) {
    std::smatch match;
    std::string name = entry.filename().string();
    if (std::regex_match(name, match, checkpoint_name())) {
      std::optional<int64_t> step = parse_int64(match[1].str());
      if (!step) throw InputError(entry.string() + ": the step number does not fit 64 bits");
      files.push_back({*step, entry.string()});
    }
  }
  std::sort(files.begin(), files.end(),
            [](const CheckpointFile& a, const CheckpointFile& b) { return a.step < b.step; });
  return files;
}

std::optional<CheckpointFile> latest_checkpoint(const std::string& train_dir) {
  std::vector<CheckpointFile> files = list_checkpoints(train_dir);
  if (files.empty()) return std::nullopt;
  return files.back();
}

void prune_checkpoints(const std::string& train_dir, int keep) {
  std::vector<CheckpointFile> files = list_checkpoints(train_dir);
  for (size_t i = 0; i + std::max(keep, 1) < files.size(); ++i) {
    std::error_code error;
    fs::remove(files[i].path, error);
    if (error) log_warn(files[i].path + ": cannot remove old checkpoint: " + error.message());
  }
}

void remove_stale_temporaries(const std::string& train_dir) {
  for (const fs::path& entry : directory_entries(train_dir)) {
    if (std::regex_match(entry.filename().string(), temporary_name())) {
      log_info(entry.string() + ": removing an incomplete checkpoint left by a killed run");
      std::error_code error;
      fs::remove(entry, error);
    }
  }
}

}  // namespace prnn
