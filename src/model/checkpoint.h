// Training checkpoints and exported models: one file in the safetensors layout
// (doc/formats/checkpoint.md), readable by common Python tools.
//
//   u64 header_size (LE) | JSON header (header_size bytes) | raw little-endian tensors
//
// The header's "__metadata__" carries the format tag ("prnn-checkpoint", the magic),
// the format version, the config name, the hparams, the global step, the Adam step and
// the training data's seed and position. Weights keep Magenta's variable names; Adam's
// moments are stored as "<name>/Adam" (m) and "<name>/Adam_1" (v) in fp32. Weights may be
// stored as F32, BF16 or F16 (exported models); they are always read back as fp32. An int8
// export stores the matrices int8 generation quantizes as int8 with per-column scales
// (model/int8_tensors.h): read back dequantized, with their int8 form kept beside.
//
// write_checkpoint writes atomically (a reader sees the old file or the whole new one).
// read_checkpoint throws InputError naming the file for anything malformed: truncation,
// a bad header length, bad JSON, a wrong magic or version, inconsistent offsets or shapes.
// It never allocates more than the file's size. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nn/int8_weights.h"
#include "nn/optimizer.h"
#include "nn/param_arena.h"

namespace prnn {

// kI8: only the q of int8 weights (model/int8_tensors.h).
enum class TensorStorage { kF32, kBF16, kF16, kI8 };

// "fp32" | "bf16" | "fp16"; throws UsageError for anything else.
TensorStorage parse_tensor_storage(const std::string& name);

struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major, product(shape) elements
};

struct Checkpoint {
  std::string config;   // Performance RNN config name, e.g. "performance_with_dynamics"
  std::string hparams;  // Magenta syntax (hparams_to_string)
  int64_t global_step = 0;
  std::vector<NamedTensor> weights;
  // Adam state: empty in exported models, else one moment per weight, same order.
  std::vector<NamedTensor> adam_m;
  std::vector<NamedTensor> adam_v;
  int64_t adam_step = 0;
  // Training data stream: the shuffle seed and how many examples were consumed.
  uint64_t data_seed = 0;
  uint64_t data_position = 0;
  // Int8 forms of weights (an int8 export), each naming one of `weights`, which holds its
  // dequantized values. Written as int8 tensors; empty in training checkpoints.
  std::vector<Int8Matrix> int8;

  // The weight with this name, or nullptr.
  const NamedTensor* find_weight(const std::string& name) const;
};

inline constexpr int kCheckpointFormatVersion = 1;
inline constexpr const char* kCheckpointMagic = "prnn-checkpoint";

// REQUIRES: each tensor's values match its shape; adam_m/adam_v empty or parallel to weights;
// each int8 matrix names a weight of its shape; weight_storage is not kI8. Weights with an
// int8 form are written as int8 tensors (their full-precision rows in F32), the others in
// `weight_storage`.
// A path ending in ".gz" is written gzip-compressed; read_checkpoint reads either form.
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint,
                      TensorStorage weight_storage = TensorStorage::kF32);
Checkpoint read_checkpoint(const std::string& path);
// The same from the file's bytes (e.g. inside a bundle); `source` names them in errors.
Checkpoint parse_checkpoint(std::string_view bytes, const std::string& source);
// True when the bytes look like our checkpoint (a safetensors header with our magic).
bool is_checkpoint(std::string_view bytes);

// The stored shape of an arena tensor: Magenta's, i.e. [cols] for biases (rows == 1).
std::vector<int64_t> stored_shape(const TensorSpec& tensor);

// Throws InputError unless the checkpoint was written for `config` with exactly the
// weights of `layout`, and its int8 forms are those int8 generation runs (int8_first_row);
// the message names the file, both configs or the tensor and both shapes.
void check_checkpoint_matches(const Checkpoint& checkpoint, const std::string& path,
                              const std::string& config, const ParamArena& layout);

// A checkpoint of `params` and, when `adam` is not null, of the optimizer state.
Checkpoint make_checkpoint(const std::string& config, const std::string& hparams,
                           int64_t global_step, const ParamArena& params,
                           const AdamOptimizer* adam);

// Checks (check_checkpoint_matches) and copies the weights into `params`, and the
// optimizer state into `adam` when it is not null (InputError if the file has none).
void restore_checkpoint(const Checkpoint& checkpoint, const std::string& path,
                        const std::string& config, ParamArena& params, AdamOptimizer* adam);

// Rounding conversion used for F16 storage (round to nearest even); BF16 storage uses
// nn/bf16.h.
uint16_t float_to_f16(float value);
float f16_to_float(uint16_t bits);

}  // namespace prnn
