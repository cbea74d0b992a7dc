#include "model/shipped_models.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "base/error.h"
#include "base/file.h"

namespace prnn {
namespace {

bool exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

// The recorded NLL of `file` under `key`, if models.json records it.
std::optional<double> recorded_nll(const std::string& dir, const std::string& file,
                                   const std::string& key) {
  const std::string index = dir + "/" + kModelsIndexFile;
  if (!exists(index)) return std::nullopt;
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(read_file(index));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(index + ": not valid JSON (" + e.what() + ")");
  }
  if (!json.is_object() || !json.contains(file)) return std::nullopt;
  const nlohmann::json& entry = json[file];
  if (!entry.is_object() || !entry.contains(key)) return std::nullopt;
  if (!entry[key].is_number()) {
    if (entry[key].is_null()) return std::nullopt;
    throw InputError(index + ": " + file + "." + key + " is not a number");
  }
  return entry[key].get<double>();
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

}  // namespace

std::string shipped_models_folder() {
  if (const char* env = std::getenv("PRNN_MODELS_DIR"); env && *env) return env;
  std::vector<std::string> candidates;
  if (std::string dir = executable_dir(); !dir.empty()) {
    candidates.push_back(dir + "/../share/performance_rnn");
  }
  candidates.push_back(std::string(PRNN_SOURCE_DIR) + "/models");
  std::string tried;
  for (const std::string& dir : candidates) {
    if (exists(dir + "/" + kShippedModelFile) || exists(dir + "/" + kConditionedModelFile)) {
      return dir;
    }
    tried += "\n  " + dir;
  }
  throw InputError(
      "no model given (--bundle_file, --run_dir or --checkpoint) and no shipped model is "
      "installed; looked for $PRNN_MODEL, $PRNN_MODELS_DIR and " +
      std::string(kShippedModelFile) + " or " + kConditionedModelFile + " in:" + tried);
}

ShippedModelChoice choose_shipped_model(bool controls_requested) {
  if (const char* env = std::getenv("PRNN_MODEL"); env && *env) {
    return {env, false, false, "the model $PRNN_MODEL names"};
  }
  const std::string dir = shipped_models_folder();
  const std::string plain = dir + "/" + kShippedModelFile;
  const std::string conditioned = dir + "/" + kConditionedModelFile;
  const bool have_plain = exists(plain), have_conditioned = exists(conditioned);
  if (!have_plain && !have_conditioned) {
    throw InputError(dir + ": holds neither " + std::string(kShippedModelFile) + " nor " +
                     kConditionedModelFile + " ($PRNN_MODELS_DIR)");
  }
  if (controls_requested) {
    if (have_conditioned) return {conditioned, true, false, "a control was requested"};
    return {plain, false, false,
            "a control was requested but the conditioned model " +
                std::string(kConditionedModelFile) + " is not installed in " + dir};
  }
  if (!have_plain) {
    return {conditioned, true, true, "the only shipped model; no control requested"};
  }
  if (have_conditioned) {
    std::optional<double> disabled =
        recorded_nll(dir, kConditionedModelFile, "eval_nll_per_event_conditioning_disabled");
    std::optional<double> unconditioned =
        recorded_nll(dir, kShippedModelFile, "eval_nll_per_event");
    if (disabled && unconditioned && *disabled <= *unconditioned) {
      return {conditioned, true, true,
              "its eval NLL with conditioning disabled (" + number(*disabled) +
                  ") is at least as good as the unconditioned model's (" + number(*unconditioned) +
                  ")"};
    }
  }
  return {plain, false, false, "no control requested"};
}

}  // namespace prnn
