#include "nn/param_arena.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace prnn {

ParamArena::ParamArena(const NetworkShape& shape) : shape_(shape) {
  size_t offset = 0;
  auto add = [&](std::string name, int rows, int cols) {
    tensors_.push_back({std::move(name), rows, cols, offset});
    offset += static_cast<size_t>(rows) * cols;
  };
  for (int k = 0; k < shape.num_layers(); ++k) {
    const std::string cell = "rnn/multi_rnn_cell/cell_" + std::to_string(k) + "/basic_lstm_cell/";
    const int h = shape.layer_sizes[k];
    add(cell + "kernel", shape.layer_input_size(k) + h, 4 * h);
    add(cell + "bias", 1, 4 * h);
  }
  add("fully_connected/weights", shape.top_size(), shape.num_logits());
  add("fully_connected/biases", 1, shape.num_logits());
  values.assign(offset, 0.0f);
}

const TensorSpec* ParamArena::find(const std::string& name) const {
  auto it = std::find_if(tensors_.begin(), tensors_.end(),
                         [&](const TensorSpec& t) { return t.name == name; });
  return it == tensors_.end() ? nullptr : &*it;
}

void ParamArena::set_zero() { std::fill(values.begin(), values.end(), 0.0f); }

void glorot_uniform_init(ParamArena& params, uint64_t seed) {
  // mt19937_64 is specified exactly by the standard; the float mapping is ours (the
  // standard distributions are not portable), so a seed gives the same weights everywhere.
  std::mt19937_64 rng(seed);
  for (const TensorSpec& t : params.tensors()) {
    std::span<float> w = params.view(t);
    if (t.rows == 1) {  // biases
      std::fill(w.begin(), w.end(), 0.0f);
      continue;
    }
    const double limit = std::sqrt(6.0 / (t.rows + t.cols));
    for (float& x : w) {
      const double unit = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
      x = static_cast<float>((2.0 * unit - 1.0) * limit);
    }
  }
}

}  // namespace prnn
