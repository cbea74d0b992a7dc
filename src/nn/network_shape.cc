#include "nn/network_shape.h"

#include <string>

#include "base/error.h"

namespace prnn {

void validate_network_shape(const NetworkShape& shape) {
  if (shape.layer_sizes.empty()) throw UsageError("network: rnn_layer_sizes is empty");
  for (int size : shape.layer_sizes) {
    if (size < 1) throw UsageError("network: layer size " + std::to_string(size) + " < 1");
  }
  if (shape.head_sizes.empty()) throw UsageError("network: no output classes");
  for (int size : shape.head_sizes) {
    if (size < 1) throw UsageError("network: head size " + std::to_string(size) + " < 1");
  }
  if (shape.input.dense_size < 0 || shape.input.input_size() < 1) {
    throw UsageError("network: input size must be at least 1");
  }
  for (int size : shape.input.onehot_sizes) {
    if (size < 1) throw UsageError("network: one-hot group of size " + std::to_string(size));
  }
}

}  // namespace prnn
