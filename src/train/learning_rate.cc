#include "train/learning_rate.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace prnn {

double learning_rate_at(const HParams& h, int64_t step) {
  if (step < h.warmup_steps) {
    return h.learning_rate * static_cast<double>(step + 1) / h.warmup_steps;
  }
  const double u = static_cast<double>(step - h.warmup_steps);
  const double lr = h.learning_rate, floor = h.min_learning_rate;
  switch (h.decay) {
    case LearningRateDecay::kConstant:
      return lr;
    case LearningRateDecay::kExponential:
      return floor + (lr - floor) * std::pow(h.decay_rate, u / h.decay_steps);
    case LearningRateDecay::kCosine:
      return floor + (lr - floor) * 0.5 *
                         (1 + std::cos(std::numbers::pi * std::min(1.0, u / h.decay_steps)));
  }
  return lr;
}

}  // namespace prnn
