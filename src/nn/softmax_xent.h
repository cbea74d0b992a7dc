// Softmax cross-entropy over the heads of the logits, Magenta's loss and metrics, and the
// gradient of the loss with respect to the logits.
//
// logits are (N, V) rows (N positions), V = Σ head_sizes, heads in order; labels are
// (N, heads), −1 = padding (that prediction does not count). loss = Σ CE / predictions.
// Parallel over rows with OpenMP; per-thread sums are combined in thread order, so results
// are deterministic for a given thread count.
#pragma once

#include <cstdint>
#include <span>

#include "nn/batch_stats.h"

namespace prnn {

struct SoftmaxXentArgs {
  int64_t rows = 0;                      // N
  std::span<const int> head_sizes;       // V = Σ
  std::span<const int> no_event_labels;  // per head, may be empty
  const int32_t* labels = nullptr;       // (N, heads)
  float* logits = nullptr;               // (N, V); with gradients: overwritten by d loss/d logits
  bool gradients = false;                // padding rows get zero gradient
  // The gradient is that of Σ CE / gradient_divisor; 0 = this batch's predictions (the
  // mean). Data-parallel training passes the predictions of the whole global batch.
  int64_t gradient_divisor = 0;
};

// Number of labels that are not padding.
int64_t count_predictions(const int32_t* labels, int64_t count);

BatchStats softmax_cross_entropy(const SoftmaxXentArgs& args);

}  // namespace prnn
