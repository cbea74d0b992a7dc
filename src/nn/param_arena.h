// All parameters of one network in a single contiguous float buffer, with named 2-D
// tensor views (row-major). Gradients and Adam moments are arenas of the same layout, so
// zeroing, clipping, the optimizer and checkpointing are flat loops over `values`.
//
// Tensors, in this order, with Magenta's TensorFlow variable names:
//   rnn/multi_rnn_cell/cell_l/basic_lstm_cell/kernel  [I_l + H_l, 4 H_l]
//       rows: the layer's input rows (for l = 0 in InputLayout order: dense values, then
//       each one-hot group's classes), then the H_l recurrent rows;
//       columns: gates i, j, f, o, each H_l wide (TensorFlow BasicLSTMCell order).
//   rnn/multi_rnn_cell/cell_l/basic_lstm_cell/bias    [1, 4 H_l]
//   fully_connected/weights                           [H_top, V]
//   fully_connected/biases                            [1, V]
// An arena owns its buffer; copying copies it. Not thread-safe for concurrent writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/network_shape.h"

namespace prnn {

struct TensorSpec {
  std::string name;
  int rows = 0;
  int cols = 0;
  size_t offset = 0;  // into ParamArena::values
  size_t size() const { return static_cast<size_t>(rows) * cols; }
};

class ParamArena {
 public:
  ParamArena() = default;
  // The layout for `shape`, all values zero. REQUIRES: validate_network_shape(shape).
  explicit ParamArena(const NetworkShape& shape);

  const NetworkShape& shape() const { return shape_; }
  const std::vector<TensorSpec>& tensors() const { return tensors_; }
  // nullptr when no tensor has that name.
  const TensorSpec* find(const std::string& name) const;

  std::span<float> view(const TensorSpec& t) { return {values.data() + t.offset, t.size()}; }
  std::span<const float> view(const TensorSpec& t) const {
    return {values.data() + t.offset, t.size()};
  }
  const TensorSpec& lstm_kernel(int layer) const { return tensors_[2 * layer]; }
  const TensorSpec& lstm_bias(int layer) const { return tensors_[2 * layer + 1]; }
  const TensorSpec& dense_weights() const { return tensors_[tensors_.size() - 2]; }
  const TensorSpec& dense_biases() const { return tensors_.back(); }

  void set_zero();
  // True when both arenas have the same shape (same tensors, names and sizes).
  bool same_layout(const ParamArena& other) const { return shape_ == other.shape_; }

  std::vector<float> values;

 private:
  NetworkShape shape_;
  std::vector<TensorSpec> tensors_;
};

// TensorFlow's initialisation: every kernel/weights tensor Glorot-uniform in
// ±sqrt(6 / (rows + cols)), biases zero. Deterministic for a given seed on every platform.
void glorot_uniform_init(ParamArena& params, uint64_t seed);

}  // namespace prnn
