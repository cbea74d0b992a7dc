// A named float tensor read from a checkpoint (TensorFlow V1 or ours): the common currency
// between checkpoint readers and the code that maps variables onto a network.
// Values are row-major; a scalar has an empty shape and one value. Plain value type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace prnn {

struct NamedTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
};

// Tensors by variable name (e.g. "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel").
using TensorMap = std::map<std::string, NamedTensor>;

// "[387, 512]"
std::string shape_string(const std::vector<int64_t>& shape);

}  // namespace prnn
