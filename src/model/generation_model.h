// The one model loader: a trained model for generation, evaluation and warm starts, from any of the places a user
// can name: a generator bundle (.mag: ours, holding our checkpoint, or Magenta's, holding a
// TensorFlow V1 checkpoint), a checkpoint file, a run directory (its newest
// RUN_DIR/train checkpoint), or the shipped model.
//
// The config comes from the bundle's generator id (which overrides --config, as in
// Magenta) or from the checkpoint's metadata. Layer sizes come from the checkpoint: our
// hparams, or for Magenta's bundles the tensor shapes (their hparams are not stored).
// Every tensor is then checked against the network the config and sizes define; a
// mismatch is an InputError naming the file, the config, the tensor and both shapes.
// Legacy Magenta variable names (TF 1.0 weights/biases, TF 0.x RNN/MultiRNNCell/...) are
// accepted. Plain value; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/checkpoint.h"
#include "nn/generation_network.h"
#include "nn/int8_weights.h"
#include "nn/param_arena.h"
#include "performance/config.h"

namespace prnn {

struct GenerationModel {
  const PerformanceConfig* config = nullptr;
  ParamArena params;
  // The file's int8 forms of the weights int8 generation quantizes (an int8 export), for
  // GenerationNetwork's stored_int8; params holds them dequantized. Empty for other files.
  std::vector<Int8Matrix> int8;
  std::string source;   // the file the weights came from
  std::string hparams;  // Magenta syntax, rnn_layer_sizes included
  int64_t global_step = 0;
  bool magenta_checkpoint = false;  // a TensorFlow V1 checkpoint from Magenta
  // A shipped conditioned model chosen for its NLL rather than for a control flag: it
  // plays with conditioning disabled unless the job asks otherwise.
  bool unconditioned_by_default = false;
};

// The weights of any model file (our checkpoint, or a bundle holding ours or Magenta's),
// as our Checkpoint without Adam slots, before they are checked against a network: what
// a warm start maps onto its own network. `requested_config` only matters for Magenta's
// bundles of the _compact config, whose generator id is "performance_with_dynamics".
struct ModelWeights {
  Checkpoint checkpoint;
  bool magenta = false;  // from a TensorFlow V1 checkpoint (names made canonical)
};
ModelWeights read_model_weights(const std::string& path, const std::string& requested_config = "");

// A .mag bundle. `source` names it in errors.
GenerationModel load_bundle_model(const std::string& path);
// One of our checkpoint files. When `expected_config` is not empty the checkpoint must
// have been written for it.
GenerationModel load_checkpoint_model(const std::string& path,
                                      const std::string& expected_config = "");
// The newest checkpoint of RUN_DIR/train; InputError when there is none.
GenerationModel load_run_dir_model(const std::string& run_dir,
                                   const std::string& expected_config = "");
// Any model file: a bundle or a checkpoint, told apart by their contents.
GenerationModel load_model_file(const std::string& path);
// The model of a checkpoint already read (e.g. changed by export); `source` names it.
GenerationModel model_from_checkpoint(Checkpoint checkpoint, const std::string& source);

// One INFO line on where a network with `kernels` gets its int8 weights, when it runs int8
// weights: the file's stored int8 weights and scales, or (a file without them) quantized at
// load. Names the file.
void log_int8_weights(const GenerationModel& model, const NetworkKernels& kernels);

// Where the shipped model is: $PRNN_MODEL if set; else the first that exists of
// <executable dir>/../share/performance_rnn/<file>, <source tree>/models/<file>.
// InputError listing the places tried when none exists.
std::string shipped_model_path();
inline constexpr const char* kShippedModelFile = "performance_with_dynamics.safetensors.gz";

}  // namespace prnn
