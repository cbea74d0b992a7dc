// A padded, time-major batch of training examples: what the data readers produce and
// the trainer consumes. Letters: T = max_length, B = batch_size, D = layout.dense_size,
// K = layout.num_groups(), H = number of output heads (1, or 6 for the note encoding).
//
// Padding positions (t >= lengths[b]) hold dense 0, one-hot index -1 and label -1;
// losses and metrics ignore them.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/input_layout.h"

namespace prnn {

struct Batch {
  int batch_size = 0;  // B
  int max_length = 0;  // T
  int num_heads = 1;   // H
  InputLayout layout;
  std::vector<float> dense;      // (T, B, D)
  std::vector<int32_t> onehot;   // (T, B, K) class index per group, -1 = padding
  std::vector<int32_t> labels;   // (T, B, H), -1 = padding
  std::vector<int32_t> lengths;  // (B)
};

}  // namespace prnn
