#include "train/best_checkpoint.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file.h"
#include "model/checkpoint.h"

namespace prnn {
namespace {

nlohmann::json read_json(const std::string& path) {
  try {
    return nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace

BestCheckpointKeeper::BestCheckpointKeeper(std::string train_dir, int patience)
    : train_dir_(std::move(train_dir)), patience_(patience) {
  const std::string record = train_dir_ + "/" + kBestRecordFile;
  std::error_code error;
  if (!std::filesystem::exists(record, error)) return;
  nlohmann::json json = read_json(record);
  if (!json.is_object() || !json.contains("step") || !json["step"].is_number_integer() ||
      !json.contains("nll_per_event") || !json["nll_per_event"].is_number()) {
    throw InputError(record + ": expected {\"step\": integer, \"nll_per_event\": number}");
  }
  best_step_ = json["step"].get<int64_t>();
  best_nll_ = json["nll_per_event"].get<double>();
}

bool BestCheckpointKeeper::record(int64_t step, double nll, const std::string& config,
                                  const std::string& hparams, const ParamArena& params) {
  if (nll < best_nll_) {
    write_checkpoint(best_path(), make_checkpoint(config, hparams, step, params, nullptr));
    write_file_atomic(train_dir_ + "/" + kBestRecordFile,
                      nlohmann::json({{"step", step}, {"nll_per_event", nll}}).dump() + "\n");
    best_step_ = step;
    best_nll_ = nll;
    without_improvement_ = 0;
    return true;
  }
  ++without_improvement_;
  if (patience_ > 0 && without_improvement_ >= patience_ && !stopped_) {
    write_file_atomic(train_dir_ + "/" + kEarlyStopFile,
                      nlohmann::json({{"step", step},
                                      {"best_step", best_step_},
                                      {"best_nll_per_event", best_nll_},
                                      {"patience", patience_}})
                              .dump() +
                          "\n");
    stopped_ = true;
  }
  return false;
}

std::optional<std::string> early_stop_notice(const std::string& train_dir) {
  const std::string path = train_dir + "/" + kEarlyStopFile;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::nullopt;
  std::string what = path + " says the eval job stopped the run early";
  try {
    nlohmann::json json = nlohmann::json::parse(read_file(path));
    what += " (best eval NLL " + json.value("best_nll_per_event", nlohmann::json()).dump() +
            " at step " + json.value("best_step", nlohmann::json()).dump() + ")";
  } catch (const std::exception&) {
    // A notice that cannot be read still stops the run; its path is named.
  }
  return what;
}

}  // namespace prnn
