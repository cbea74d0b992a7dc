// The learning-rate schedule of a training run, from its hparams:
//   warm-up: for global step t < warmup_steps, lr · (t + 1) / warmup_steps;
//   then, with u = t − warmup_steps and m = min_learning_rate,
//     decay=constant     lr (the default; Magenta's constant 0.001)
//     decay=exponential  m + (lr − m) · decay_rate^(u / decay_steps)
//     decay=cosine       m + (lr − m) · (1 + cos(π · min(1, u / decay_steps))) / 2
// t is the step about to be taken (0 for the first update), so a resumed run continues
// the schedule where it stopped. Pure function.
#pragma once

#include <cstdint>

#include "model/hparams.h"

namespace prnn {

double learning_rate_at(const HParams& hparams, int64_t step);

}  // namespace prnn
