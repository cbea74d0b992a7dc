// A padded, time-major batch of training examples: what the data readers produce and
// the trainer consumes. Letters (doc/design.md): T = max_length, B = batch_size,
// D = layout.dense_size, O = layout.num_groups(), Y = number of output heads (1, or 6 for
// the note encoding).
//
// Padding positions (t >= lengths[b]) hold dense 0, one-hot index -1 and label -1;
// losses and metrics ignore them.
#pragma once

#include <cstdint>
#include <vector>

#include "performance/input_layout.h"

namespace prnn {

struct Batch {
  int batch_size = 0;  // B
  int max_length = 0;  // T
  int num_heads = 1;   // Y
  InputLayout layout;
  std::vector<float> dense;      // (T, B, D)
  std::vector<int32_t> onehot;   // (T, B, O) class index per group, -1 = padding
  std::vector<int32_t> labels;   // (T, B, Y), -1 = padding
  std::vector<int32_t> lengths;  // (B)
};

}  // namespace prnn
