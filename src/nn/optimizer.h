// Gradient clipping and the Adam optimizer, as Magenta's training graph applies them.
//
// Clipping: tf_slim create_train_op(clip_gradient_norm=c) clips EACH gradient tensor
// separately (tf.clip_by_norm per variable): g *= c / max(||g||, c). kGlobalNorm is the
// alternative (PyTorch clip_grad_norm_ / tf.clip_by_global_norm): all tensors scaled by
// c / max(global_norm, c). clip_norm <= 0 disables clipping.
//
// Adam: TensorFlow's AdamOptimizer: with t = step number starting at 1,
//   lr_t = lr·sqrt(1 − β2^t)/(1 − β1^t); m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
//   θ −= lr_t·m/(sqrt(v) + ε).
// The optimizer owns its moment arenas (public: the checkpoint code saves and restores
// them with `steps`). Not thread-safe; uses OpenMP inside.
#pragma once

#include <cstdint>

#include "nn/param_arena.h"

namespace prnn {

enum class ClipMode { kPerTensor, kGlobalNorm };

// Returns the global norm of the gradients before clipping (for logging).
double clip_gradients(ParamArena& grads, float clip_norm, ClipMode mode);

struct AdamOptions {
  float learning_rate = 0.001f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
};

class AdamOptimizer {
 public:
  // Moments zero, steps 0, laid out like `params`.
  AdamOptimizer(const ParamArena& params, const AdamOptions& options);

  // One update of params from grads. REQUIRES: both have the moments' layout.
  void step(ParamArena& params, const ParamArena& grads);

  const AdamOptions& options() const { return options_; }
  void set_learning_rate(float lr) { options_.learning_rate = lr; }

  ParamArena m;       // first moments ("…/Adam" slots)
  ParamArena v;       // second moments ("…/Adam_1" slots)
  int64_t steps = 0;  // updates applied so far (beta1_power = β1^steps)

 private:
  AdamOptions options_;
};

}  // namespace prnn
