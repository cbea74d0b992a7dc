#include "model/config_mapping.h"

#include <algorithm>

#include "base/error.h"
#include "performance/config.h"

namespace prnn {
namespace {

const std::string kFirstKernel = "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel";
const std::string kFirstBias = "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias";

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

InputError misfit(const std::string& source, const std::string& from, const std::string& to,
                  const std::string& why) {
  return InputError(source + ": cannot map config '" + from + "' onto config '" + to + "': " + why);
}

const PerformanceConfig& known_config(const std::string& name, const std::string& source,
                                      const std::string& other) {
  const auto& configs = performance_configs();
  auto found = std::find_if(configs.begin(), configs.end(),
                            [&](const PerformanceConfig& c) { return c.name == name; });
  if (found == configs.end()) {
    throw misfit(source, name, other, "'" + name + "' is not a Performance RNN config");
  }
  return *found;
}

// Layer 0's kernel gained `rows` input rows (dropped, when negative): its int8 form, if
// any, follows (its q are of the recurrent rows, which stay as they are).
void shift_first_kernel_int8(Checkpoint& checkpoint, int64_t rows) {
  for (Int8Matrix& matrix : checkpoint.int8) {
    if (matrix.name != kFirstKernel) continue;
    matrix.first_row += static_cast<int>(rows);
    matrix.rows += static_cast<int>(rows);
  }
}

}  // namespace

Checkpoint widen_to_config(const Checkpoint& checkpoint, const std::string& source,
                           const std::string& config, const ParamArena& layout) {
  const PerformanceConfig& from_config = known_config(checkpoint.config, source, config);
  const PerformanceConfig& to_config = known_config(config, source, config);
  if (from_config.has_control_signals() || !to_config.has_control_signals() ||
      from_config.encoding != to_config.encoding ||
      from_config.num_velocity_bins != to_config.num_velocity_bins) {
    throw misfit(source, checkpoint.config, config,
                 "only a config without controls maps onto one with controls and the same "
                 "events");
  }
  const InputLayout from = from_config.input_layout();
  const InputLayout& to = layout.shape().input;
  Checkpoint widened = checkpoint;
  widened.config = config;
  widened.weights.clear();
  for (const TensorSpec& spec : layout.tensors()) {
    const NamedTensor* tensor = checkpoint.find_weight(spec.name);
    if (!tensor) {
      throw misfit(source, checkpoint.config, config,
                   "tensor \"" + spec.name + "\" is missing from the source");
    }
    const std::vector<int64_t> shape = stored_shape(spec);
    if (tensor->shape == shape) {
      widened.weights.push_back(*tensor);
      continue;
    }
    const int64_t extra_rows = to.dense_size - from.dense_size;
    const bool widens = spec.name == kFirstKernel && from.onehot_sizes == to.onehot_sizes &&
                        from.dense_size == 0 && extra_rows > 0 && tensor->shape.size() == 2 &&
                        tensor->shape[1] == spec.cols && tensor->shape[0] + extra_rows == spec.rows;
    if (!widens) {
      throw misfit(source, checkpoint.config, config,
                   "tensor \"" + spec.name + "\" has shape " + shape_text(tensor->shape) +
                       " there but " + shape_text(shape) + " here");
    }
    NamedTensor rows{spec.name, shape, std::vector<float>(spec.size(), 0.0f)};
    std::copy(tensor->values.begin(), tensor->values.end(),
              rows.values.begin() + extra_rows * spec.cols);
    widened.weights.push_back(std::move(rows));
    shift_first_kernel_int8(widened, extra_rows);
  }
  return widened;
}

Checkpoint without_conditioning(const Checkpoint& checkpoint, const std::string& source) {
  const PerformanceConfig& from = known_config(checkpoint.config, source, "(unconditioned)");
  if (!from.optional_conditioning) {
    throw misfit(source, checkpoint.config, "(unconditioned)",
                 "only optional-conditioning configs can be exported without their controls");
  }
  const auto& configs = performance_configs();
  auto plain = std::find_if(configs.begin(), configs.end(), [&](const PerformanceConfig& c) {
    return !c.has_control_signals() && c.encoding == from.encoding &&
           c.num_velocity_bins == from.num_velocity_bins;
  });
  PRNN_CHECK(plain != configs.end());
  const std::string to(plain->name);
  const NamedTensor* kernel = checkpoint.find_weight(kFirstKernel);
  const NamedTensor* bias = checkpoint.find_weight(kFirstBias);
  const int64_t controls = from.control_size();
  if (!kernel || !bias || kernel->shape.size() != 2 || kernel->shape[0] <= controls ||
      bias->shape != std::vector<int64_t>{kernel->shape[1]}) {
    throw misfit(source, checkpoint.config, to,
                 "layer 0's kernel or bias is missing or has an unexpected shape");
  }
  const int64_t cols = kernel->shape[1];
  Checkpoint plain_checkpoint = checkpoint;
  plain_checkpoint.config = to;
  plain_checkpoint.adam_m.clear();
  plain_checkpoint.adam_v.clear();
  for (NamedTensor& tensor : plain_checkpoint.weights) {
    if (tensor.name == kFirstKernel) {
      tensor.values.erase(tensor.values.begin(), tensor.values.begin() + controls * cols);
      tensor.shape[0] -= controls;
    } else if (tensor.name == kFirstBias) {
      // Row 0 of the kernel is the disable flag's: its input is 1 when disabled.
      for (int64_t c = 0; c < cols; ++c) tensor.values[c] += kernel->values[c];
    }
  }
  shift_first_kernel_int8(plain_checkpoint, -controls);
  return plain_checkpoint;
}

}  // namespace prnn
