#include "studio/model_catalog.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "base/error.h"
#include "base/log.h"

namespace prnn {
namespace {

bool is_model_file(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  return name.ends_with(".mag") || name.ends_with(".safetensors");
}

GenerationModel load_any(const std::string& path) {
  return std::filesystem::is_directory(path) ? load_run_dir_model(path) : load_model_file(path);
}

}  // namespace

std::shared_ptr<const GenerationWeights> StudioModel::weights(const NetworkKernels& kernels) const {
  std::lock_guard lock(mutex_);
  std::shared_ptr<const GenerationWeights>& packed = weights_[kernels.name()];
  if (!packed)
    packed = std::make_shared<const GenerationWeights>(model.params, kernels, model.int8);
  return packed;
}

ModelCatalog::ModelCatalog(const std::string& models_dir, const std::string& explicit_model) {
  std::vector<std::string> files;
  if (!models_dir.empty()) {
    std::error_code error;
    std::filesystem::directory_iterator it(models_dir, error);
    if (error) throw InputError(models_dir + ": cannot list the models folder: " + error.message());
    for (const auto& entry : it) {
      if (entry.is_regular_file() && is_model_file(entry.path())) {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
  }
  int explicit_index = -1;
  auto add = [&](const std::string& path, bool is_explicit) {
    const std::string name = std::filesystem::path(path).filename().string();
    auto refuse = [&](const std::string& config, const std::string& reason) {
      if (is_explicit) throw InputError(path + ": " + reason);
      log_warn(path + ": not offered: " + reason);
      unplayable_.push_back({name, config, reason});
    };
    std::optional<GenerationModel> loaded;
    try {
      loaded = load_any(path);
    } catch (const InputError& error) {
      if (is_explicit) throw;
      return refuse("", error.what());
    }
    GenerationModel& model = *loaded;
    if (model.config->note_performance()) {
      return refuse(std::string(model.config->name),
                    "a note-encoding model (one note per event, six softmax heads); the "
                    "studio streams event-encoded models only");
    }
    if (find(name) >= 0) {
      if (is_explicit) explicit_index = find(name);
      return;
    }
    if (is_explicit) explicit_index = static_cast<int>(models_.size());
    models_.push_back(std::make_unique<StudioModel>(name, std::move(model)));
  };
  if (!explicit_model.empty()) add(explicit_model, true);
  for (const std::string& file : files) add(file, false);
  if (models_.empty()) {
    throw InputError("no playable model in '" + models_dir + "'" +
                     (explicit_model.empty() ? "" : " or '" + explicit_model + "'"));
  }
  const int shipped = find(kShippedModelFile), conditioned = find(kConditionedModelFile);
  auto first = [&](bool want_conditioned, int otherwise) {
    for (size_t i = 0; i < models_.size(); ++i) {
      if (models_[i]->conditioned() == want_conditioned) return static_cast<int>(i);
    }
    return otherwise;
  };
  auto_off_ = explicit_index >= 0 ? explicit_index : shipped >= 0 ? shipped : first(false, 0);
  if (explicit_index >= 0 && models_[explicit_index]->conditioned()) {
    auto_on_ = explicit_index;
  } else if (conditioned >= 0 && models_[conditioned]->conditioned()) {
    auto_on_ = conditioned;
  } else {
    auto_on_ = first(true, auto_off_);
  }
}

int ModelCatalog::find(const std::string& name) const {
  for (size_t i = 0; i < models_.size(); ++i) {
    if (models_[i]->name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace prnn
