// The models a studio server offers: every model file of a folder (.mag bundles and our
// checkpoints, plain or .gz), plus an explicitly named one, each under a short name (its
// file name). Which model plays when a client asks for "auto": with conditioning off the
// explicitly named model, else the shipped unconditioned one, else the first
// unconditioned one, else the first; with conditioning on the explicitly named model if
// it is conditioned, else kConditionedModelFile when present, else the first conditioned
// model, else the same as off.
// Every event-encoded config plays (with or without dynamics, conditioned or not). A
// folder's file that cannot be played is listed as unplayable with the reason (and a
// warning): a note-encoding model (one note per event, six softmax heads; the studio
// streams event-encoded models only), or a file that does not load (the loader's error).
// Loaded once at start; immutable afterwards (but for each model's lazily packed weights);
// thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/generation_model.h"
#include "model/shipped_models.h"
#include "nn/generation_weights.h"

namespace prnn {

// A file of the models folder the studio cannot play, and why.
struct UnplayableModel {
  std::string name, config, reason;  // config: empty when the file did not load
};

// One playable model. Its packed weights are built once per kernels, at the first call of
// weights() (from any thread), and shared by every engine's network of this model.
class StudioModel {
 public:
  StudioModel(std::string name, GenerationModel model)
      : name(std::move(name)), model(std::move(model)) {}
  const std::string name;  // what the page shows and sends back
  const GenerationModel model;
  bool conditioned() const { return model.config->has_control_signals(); }
  std::shared_ptr<const GenerationWeights> weights(const NetworkKernels& kernels) const;

 private:
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const GenerationWeights>> weights_;  // by kernels
};

class ModelCatalog {
 public:
  // `models_dir`: every model file in it (not recursive); `explicit_model`: a model file or
  // run directory (may be empty). InputError when the named model does not load or
  // cannot play, or when no playable model remains.
  ModelCatalog(const std::string& models_dir, const std::string& explicit_model);

  const std::vector<std::unique_ptr<StudioModel>>& models() const { return models_; }
  const std::vector<UnplayableModel>& unplayable() const { return unplayable_; }
  // -1 when no model has that name.
  int find(const std::string& name) const;
  int auto_model(bool conditioning) const { return conditioning ? auto_on_ : auto_off_; }

 private:
  std::vector<std::unique_ptr<StudioModel>> models_;
  std::vector<UnplayableModel> unplayable_;
  int auto_off_ = 0, auto_on_ = 0;
};

}  // namespace prnn
