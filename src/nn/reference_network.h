// The slow, obviously-correct twin of TrainingStep: the same network, loss and gradients
// written as plain loops in double precision, one position and one unit at a time, with
// no products, packing or fusion. Tests compare the fast engine against it; it is far too
// slow for anything else. Uses the same dropout masks (dropout.h) as the fast engine.
#pragma once

#include <cstdint>

#include "nn/batch.h"
#include "nn/param_arena.h"

namespace prnn {

struct ReferenceResult {
  double loss = 0;             // mean cross-entropy over predictions
  std::vector<double> logits;  // (T, B, V)
  ParamArena grads;            // d loss / d params
};

ReferenceResult reference_forward_backward(const ParamArena& params, const Batch& batch,
                                           float dropout_keep_prob = 1.0f,
                                           uint64_t dropout_seed = 0);

}  // namespace prnn
