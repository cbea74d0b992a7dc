#include "train/warm_start.h"

#include "base/error.h"
#include "base/file.h"
#include "base/gzip.h"
#include "base/log.h"
#include "bundle/generator_bundle.h"
#include "bundle/v1_checkpoint.h"
#include "train/checkpoint.h"
#include "train/config_mapping.h"

namespace prnn {
void warm_start(const std::string& path, const std::string& config, ParamArena& params) {
  std::string bytes = read_file_gunzipped(path);
  Checkpoint checkpoint;
  if (is_checkpoint(bytes)) {
    checkpoint = parse_checkpoint(bytes, path);
  } else {
    GeneratorBundleContents bundle = read_generator_bundle(path);
    const std::string source = path + " (bundle checkpoint)";
    if (is_checkpoint(bundle.checkpoint)) {
      checkpoint = parse_checkpoint(bundle.checkpoint, source);
    } else {
      // Magenta's bundle: the generator id names the config (the _compact config's
      // bundles carry the id "performance_with_dynamics"; shapes still tell them apart).
      checkpoint.config = bundle.generator_id == "performance_with_dynamics" &&
                                  config == "performance_with_dynamics_compact"
                              ? config
                              : bundle.generator_id;
      for (NamedTensor& tensor : read_v1_checkpoint(bundle.checkpoint, source)) {
        if (params.find(tensor.name)) checkpoint.weights.push_back(std::move(tensor));
      }
    }
  }
  checkpoint.adam_m.clear();
  checkpoint.adam_v.clear();
  if (checkpoint.config != config) {
    const std::string source_config = checkpoint.config;
    checkpoint = widen_to_config(checkpoint, path, config, params);
    log_info("warm start: config '" + source_config + "' mapped onto '" + config +
             "' (new control rows start at zero)");
  }
  restore_checkpoint(checkpoint, path, config, params, nullptr);
}

}  // namespace prnn
