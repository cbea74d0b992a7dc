// The checkpoint files of a training run: RUN_DIR/train/model.ckpt-<step>.safetensors.
// Only complete files carry that name (they are written atomically); a temporary left
// by a killed writer ends in ".tmp.<pid>.<n>" and is removed by remove_stale_temporaries.
// Functions throw InputError naming the directory when it cannot be listed. They do not
// lock: one trainer per run directory (an eval job only reads checkpoints; it writes the
// best.* and early_stop.json files of train/best_checkpoint.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace prnn {

struct CheckpointFile {
  int64_t step = 0;
  std::string path;
};

std::string checkpoint_path(const std::string& train_dir, int64_t step);
// Complete checkpoints, ascending by step; empty if the directory does not exist.
std::vector<CheckpointFile> list_checkpoints(const std::string& train_dir);
std::optional<CheckpointFile> latest_checkpoint(const std::string& train_dir);
// Deletes all but the newest `keep` checkpoints.
void prune_checkpoints(const std::string& train_dir, int keep);
void remove_stale_temporaries(const std::string& train_dir);

}  // namespace prnn
