// The eval job's record of the best checkpoint and its early stopping.
//
// Each evaluated checkpoint is reported with its eval NLL (nats/event). A strictly lower
// NLL than the best so far writes RUN_DIR/train/best.safetensors (the weights only, fp32,
// loadable by generate --checkpoint, evaluate and export) and then best.json
// {"step", "nll_per_event"}, both atomically; a restarted eval job continues from
// best.json. With patience P > 0, after P evaluations in a row without a new best it writes
// RUN_DIR/train/early_stop.json {"step", "best_step", "best_nll_per_event", "patience"}:
// the trainer stops when it sees that file and does not start while it exists.
// Neither name matches model.ckpt-*, so pruning and resuming ignore them.
// Not thread-safe; one eval job per run directory.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "nn/param_arena.h"

namespace prnn {

inline constexpr const char* kBestCheckpointFile = "best.safetensors";
inline constexpr const char* kBestRecordFile = "best.json";
inline constexpr const char* kEarlyStopFile = "early_stop.json";

class BestCheckpointKeeper {
 public:
  // Reads train_dir/best.json when there is one (InputError naming it when malformed).
  BestCheckpointKeeper(std::string train_dir, int patience);

  // Returns true when `nll` is a new best (and the files were written).
  bool record(int64_t step, double nll, const std::string& config, const std::string& hparams,
              const ParamArena& params);
  // True once early_stop.json was written.
  bool should_stop() const { return stopped_; }

  int64_t best_step() const { return best_step_; }
  double best_nll() const { return best_nll_; }
  std::string best_path() const { return train_dir_ + "/" + kBestCheckpointFile; }

 private:
  std::string train_dir_;
  int patience_;
  int64_t best_step_ = -1;
  double best_nll_ = std::numeric_limits<double>::infinity();
  int without_improvement_ = 0;
  bool stopped_ = false;
};

// A sentence naming the early-stop file and what it says, when train_dir holds one.
std::optional<std::string> early_stop_notice(const std::string& train_dir);

}  // namespace prnn
