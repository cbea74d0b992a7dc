// The shape of a Performance RNN network: everything needed to lay out its parameters
// and size its buffers. Filled by the config/hparams code; copied freely.
//
//   input   how one step's input vector is laid out (dense prefix, one-hot groups)
//   layer_sizes  hidden units of each stacked LSTM layer, bottom first (hparams
//                rnn_layer_sizes), e.g. {512, 512, 512}
//   head_sizes   classes of each softmax head: {388} for the one-hot configs,
//                {13, 77, 128, 32, 25, 40} for the note encoding. All heads share ONE
//                dense layer whose V = sum(head_sizes) outputs are split in head order
//                (Magenta's single `fully_connected` layer sliced per head).
#pragma once

#include <numeric>
#include <vector>

#include "performance/input_layout.h"

namespace prnn {

struct NetworkShape {
  InputLayout input;
  std::vector<int> layer_sizes;
  std::vector<int> head_sizes;

  int num_layers() const { return static_cast<int>(layer_sizes.size()); }
  int num_heads() const { return static_cast<int>(head_sizes.size()); }
  // V: width of the logits vector (all heads).
  int num_logits() const { return std::accumulate(head_sizes.begin(), head_sizes.end(), 0); }
  // Input rows of layer k's kernel (before its recurrent rows).
  int layer_input_size(int k) const { return k == 0 ? input.input_size() : layer_sizes[k - 1]; }
  int top_size() const { return layer_sizes.back(); }
  bool operator==(const NetworkShape&) const = default;
};

// Throws UsageError when the shape cannot be a network (no layers, a size < 1, no
// heads, an input of width 0).
void validate_network_shape(const NetworkShape& shape);

}  // namespace prnn
