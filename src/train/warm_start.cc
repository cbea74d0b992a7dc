#include "train/warm_start.h"

#include <algorithm>

#include "base/error.h"
#include "base/file.h"
#include "base/gzip.h"
#include "base/log.h"
#include "bundle/generator_bundle.h"
#include "bundle/v1_checkpoint.h"
#include "performance/config.h"
#include "train/checkpoint.h"

namespace prnn {
namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// Rewrites `checkpoint` (of another config) into the tensors of `params`, or throws.
void map_onto_config(Checkpoint& checkpoint, const std::string& path, const std::string& config,
                     const ParamArena& params) {
  auto misfit = [&](const std::string& tensor, const std::string& why) {
    return InputError(path + ": cannot warm start config '" + config + "' from config '" +
                      checkpoint.config + "': " + (tensor.empty() ? "" : "tensor \"" + tensor + "\" ") + why);
  };
  const auto& configs = performance_configs();
  auto source_config = std::find_if(configs.begin(), configs.end(), [&](const auto& known) {
    return known.name == checkpoint.config;
  });
  if (source_config == configs.end()) throw misfit("", "that is not a Performance RNN config");
  const InputLayout source_input = source_config->input_layout();
  const InputLayout& target_input = params.shape().input;
  std::vector<NamedTensor> mapped;
  for (const TensorSpec& spec : params.tensors()) {
    const NamedTensor* source = checkpoint.find_weight(spec.name);
    if (!source) throw misfit(spec.name, "is missing from the source");
    const std::vector<int64_t> target_shape = stored_shape(spec);
    if (source->shape == target_shape) {
      mapped.push_back(*source);
      continue;
    }
    const bool first_kernel = &spec == &params.lstm_kernel(0);
    const int64_t source_dense = source_input.dense_size;
    const int64_t target_dense = target_input.dense_size;
    const int64_t extra_rows = target_dense - source_dense;
    const bool maps = first_kernel && source_input.onehot_sizes == target_input.onehot_sizes &&
                      source_dense == 0 && extra_rows > 0 && source->shape.size() == 2 &&
                      source->shape[1] == spec.cols && source->shape[0] + extra_rows == spec.rows;
    if (!maps) {
      throw misfit(spec.name, "has shape " + shape_text(source->shape) + " there but " +
                                  shape_text(target_shape) + " here");
    }
    NamedTensor widened{spec.name, target_shape, std::vector<float>(spec.size(), 0.0f)};
    std::copy(source->values.begin(), source->values.end(),
              widened.values.begin() + extra_rows * spec.cols);
    mapped.push_back(std::move(widened));
  }
  checkpoint.weights = std::move(mapped);
  checkpoint.config = config;
}

}  // namespace

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
    map_onto_config(checkpoint, path, config, params);
    log_info("warm start: config '" + source_config + "' mapped onto '" + config +
             "' (new control rows start at zero)");
  }
  restore_checkpoint(checkpoint, path, config, params, nullptr);
}

}  // namespace prnn
