#include "model/generation_model.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>

#include "base/error.h"
#include "base/file.h"
#include "base/gzip.h"
#include "base/log.h"
#include "base/number.h"
#include "model/generator_bundle.h"
#include "model/sstable_reader.h"
#include "model/v1_checkpoint.h"
#include "model/checkpoint.h"
#include "model/hparams.h"
#include "model/run_dir.h"

namespace prnn {
namespace {

// TF 1.0–1.1 and TF 0.x names of the LSTM and dense variables → today's names.
std::string canonical_name(const std::string& name) {
  static const std::regex tf1(
      R"(^(rnn/multi_rnn_cell/cell_\d+/basic_lstm_cell/)(weights|biases)$)");
  static const std::regex tf0(R"(^RNN/MultiRNNCell/Cell(\d+)/BasicLSTMCell/Linear/(Matrix|Bias)$)");
  std::smatch m;
  if (std::regex_match(name, m, tf1)) return m[1].str() + (m[2] == "weights" ? "kernel" : "bias");
  if (std::regex_match(name, m, tf0)) {
    return "rnn/multi_rnn_cell/cell_" + m[1].str() + "/basic_lstm_cell/" +
           (m[2] == "Matrix" ? "kernel" : "bias");
  }
  return name;
}

// Layer sizes of a Magenta checkpoint: cell_K's bias has 4 · units values.
std::vector<int> magenta_layer_sizes(const std::vector<NamedTensor>& tensors,
                                     const std::string& source) {
  static const std::regex bias(R"(^rnn/multi_rnn_cell/cell_(\d+)/basic_lstm_cell/bias$)");
  std::map<int, int> sizes;
  for (const NamedTensor& t : tensors) {
    std::smatch m;
    if (!std::regex_match(t.name, m, bias)) continue;
    if (t.shape.size() != 1 || t.shape[0] % 4 != 0 || t.shape[0] == 0) {
      throw InputError(source + ": LSTM bias '" + t.name + "' has a shape that is not [4·units]");
    }
    std::optional<int> index = parse_int(m[1].str());
    if (!index) throw InputError(source + ": LSTM layer number of '" + t.name + "' is too large");
    sizes[*index] = static_cast<int>(t.shape[0] / 4);
  }
  std::vector<int> layers;
  for (const auto& [index, units] : sizes) {
    if (index != static_cast<int>(layers.size())) {
      throw InputError(source + ": LSTM layer " + std::to_string(layers.size()) + " is missing");
    }
    layers.push_back(units);
  }
  if (layers.empty()) {
    throw InputError(source +
                     ": no rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias tensor; not a "
                     "Performance RNN checkpoint (attention or cuDNN models are not supported)");
  }
  return layers;
}

GenerationModel build(Checkpoint checkpoint, const std::string& source, bool magenta) {
  GenerationModel model;
  model.config = &find_performance_config(checkpoint.config);
  HParams hparams = default_hparams();
  if (magenta) {
    hparams.rnn_layer_sizes = magenta_layer_sizes(checkpoint.weights, source);
  } else {
    apply_hparams(checkpoint.hparams, hparams);
  }
  NetworkShape shape{model.config->input_layout(), hparams.rnn_layer_sizes,
                     model.config->output_heads()};
  validate_network_shape(shape);
  // Refuse before allocating a network larger than what the file holds (a hostile or
  // mismatched file must not make us allocate more than its own size).
  double needed = 0, held = 0;
  for (int k = 0; k < shape.num_layers(); ++k) {
    const double h = shape.layer_sizes[k];
    needed += (shape.layer_input_size(k) + h) * 4 * h + 4 * h;
  }
  needed += (shape.top_size() + 1.0) * shape.num_logits();
  for (const NamedTensor& t : checkpoint.weights) held += static_cast<double>(t.values.size());
  if (needed > held) {
    throw InputError(
        source + ": config " + checkpoint.config + " with rnn_layer_sizes " +
        hparams_to_string(hparams) + " needs " + std::to_string(static_cast<int64_t>(needed)) +
        " weights but the checkpoint holds " + std::to_string(static_cast<int64_t>(held)));
  }
  model.params = ParamArena(shape);
  checkpoint.adam_m.clear();
  checkpoint.adam_v.clear();
  restore_checkpoint(checkpoint, source, checkpoint.config, model.params, nullptr);
  model.int8 = std::move(checkpoint.int8);
  model.source = source;
  model.hparams = hparams_to_string(hparams);
  model.global_step = checkpoint.global_step;
  model.magenta_checkpoint = magenta;
  return model;
}

// A bundle's checkpoint as ours: our checkpoint as it is (its config must be the bundle's
// generator id), or Magenta's TensorFlow V1 checkpoint with canonical variable names and
// only the generation graph's variables.
ModelWeights from_bundle(GeneratorBundleContents bundle, const std::string& path,
                         const std::string& requested_config) {
  const std::string source = path + " (bundle checkpoint)";
  ModelWeights weights;
  if (is_checkpoint(bundle.checkpoint)) {
    weights.checkpoint = parse_checkpoint(bundle.checkpoint, source);
    if (weights.checkpoint.config != bundle.generator_id) {
      throw InputError(path + ": the bundle's generator id is " + bundle.generator_id +
                       " but its checkpoint was trained for " + weights.checkpoint.config);
    }
    return weights;
  }
  if (!has_table_magic(bundle.checkpoint)) {
    throw InputError(source + ": neither our checkpoint nor a TensorFlow V1 checkpoint");
  }
  weights.magenta = true;
  // The generator id names the config; the _compact config's bundles carry the id
  // "performance_with_dynamics" (their shapes tell them apart), so a caller asking for
  // _compact gets it.
  weights.checkpoint.config = bundle.generator_id == "performance_with_dynamics" &&
                                      requested_config == "performance_with_dynamics_compact"
                                  ? requested_config
                                  : bundle.generator_id;
  std::vector<NamedTensor> tensors = read_v1_checkpoint(bundle.checkpoint, source);
  std::string().swap(bundle.checkpoint);  // free the file's bytes before building
  for (NamedTensor& tensor : tensors) {
    tensor.name = canonical_name(tensor.name);
    // Only the generation graph's variables; a training checkpoint also has global_step
    // and Adam slots.
    if (tensor.name.starts_with("rnn/") || tensor.name.starts_with("fully_connected/")) {
      if (tensor.name.find("/Adam") == std::string::npos) {
        weights.checkpoint.weights.push_back(std::move(tensor));
      }
    }
  }
  return weights;
}

}  // namespace

ModelWeights read_model_weights(const std::string& path, const std::string& requested_config) {
  std::string bytes = read_file_gunzipped(path);
  ModelWeights weights;
  if (is_checkpoint(bytes)) {
    weights.checkpoint = parse_checkpoint(bytes, path);
  } else {
    std::string().swap(bytes);
    weights = from_bundle(read_generator_bundle(path), path, requested_config);
  }
  weights.checkpoint.adam_m.clear();
  weights.checkpoint.adam_v.clear();
  return weights;
}

GenerationModel load_bundle_model(const std::string& path) {
  ModelWeights weights = from_bundle(read_generator_bundle(path), path, "");
  return build(std::move(weights.checkpoint), path, weights.magenta);
}

GenerationModel load_checkpoint_model(const std::string& path, const std::string& expected_config) {
  Checkpoint checkpoint = read_checkpoint(path);
  if (!expected_config.empty() && checkpoint.config != expected_config) {
    throw InputError(path + ": checkpoint of config " + checkpoint.config +
                     ", but --config=" + expected_config);
  }
  return build(std::move(checkpoint), path, false);
}

GenerationModel load_run_dir_model(const std::string& run_dir, const std::string& expected_config) {
  const std::string train_dir = run_dir + "/train";
  std::optional<CheckpointFile> latest = latest_checkpoint(train_dir);
  if (!latest) {
    throw InputError(train_dir +
                     ": no checkpoints (model.ckpt-<step>.safetensors) in this run directory");
  }
  return load_checkpoint_model(latest->path, expected_config);
}

GenerationModel load_model_file(const std::string& path) {
  ModelWeights weights = read_model_weights(path);
  return build(std::move(weights.checkpoint), path, weights.magenta);
}

GenerationModel model_from_checkpoint(Checkpoint checkpoint, const std::string& source) {
  return build(std::move(checkpoint), source, false);
}

void log_int8_weights(const GenerationModel& model, const NetworkKernels& kernels) {
  if (kernels.reference || kernels.weights != WeightFormat::kInt8) return;
  size_t quantized = 0;
  for (const TensorSpec& spec : model.params.tensors())
    quantized += int8_first_row(model.params, spec) >= 0;
  if (model.int8.empty()) {
    log_info(model.source +
             " holds no int8 scales: quantizing its weights to int8 at load (one scale per "
             "output column)");
  } else if (model.int8.size() < quantized) {
    log_info("int8 weights and scales as stored in " + model.source + " for " +
             std::to_string(model.int8.size()) + " of " + std::to_string(quantized) +
             " matrices; quantizing the others at load");
  } else {
    log_info("int8 weights and their per-column scales as stored in " + model.source);
  }
}

std::string shipped_model_path() {
  if (const char* env = std::getenv("PRNN_MODEL"); env && *env) return env;
  std::vector<std::string> candidates;
  if (std::string dir = executable_dir(); !dir.empty()) {
    candidates.push_back(dir + "/../share/performance_rnn/" + kShippedModelFile);
  }
  candidates.push_back(std::string(PRNN_SOURCE_DIR) + "/models/" + kShippedModelFile);
  std::string tried;
  for (const std::string& candidate : candidates) {
    std::error_code error;
    if (std::filesystem::exists(candidate, error)) return candidate;
    tried += "\n  " + candidate;
  }
  throw InputError(
      "no model given (--bundle_file, --run_dir or --checkpoint) and the shipped "
      "model is not installed; looked for $PRNN_MODEL and:" +
      tried);
}

}  // namespace prnn
