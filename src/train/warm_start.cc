#include "train/warm_start.h"

#include "base/log.h"
#include "model/checkpoint.h"
#include "model/config_mapping.h"
#include "model/generation_model.h"

namespace prnn {
void warm_start(const std::string& path, const std::string& config, ParamArena& params) {
  ModelWeights weights = read_model_weights(path, config);
  Checkpoint& checkpoint = weights.checkpoint;
  if (weights.magenta) {
    // Magenta's graph may hold variables our network has no place for.
    std::erase_if(checkpoint.weights,
                  [&](const NamedTensor& tensor) { return !params.find(tensor.name); });
  }
  if (checkpoint.config != config) {
    const std::string source_config = checkpoint.config;
    checkpoint = widen_to_config(checkpoint, path, config, params);
    log_info("warm start: config '" + source_config + "' mapped onto '" + config +
             "' (new control rows start at zero)");
  }
  restore_checkpoint(checkpoint, path, config, params, nullptr);
}

}  // namespace prnn
