// Forward and backward pass of the whole network over one padded Batch (truncated nowhere:
// full BPTT over the batch's max_length), with the loss and metrics Magenta logs.
//
// Network (TensorFlow semantics): per LSTM layer z = [x, h_prev]·W + b, gates i, j, f, o;
// c = c_prev·σ(f + 1) + σ(i)·tanh(j); h = tanh(c)·σ(o); state starts at zero; when
// dropout_keep_prob < 1 each layer's output (not its recurrent state) is dropped and
// scaled by 1/keep (DropoutWrapper(output_keep_prob)); logits = h_top·W_fc + b_fc, split
// into heads; softmax cross-entropy over real positions only; loss = mean over
// (position, head) pairs.
//
// Ownership: a TrainingStep owns its work buffers (sized on first use and grown when a
// larger batch arrives; no allocation otherwise) and the oneDNN primitives it caches.
// Parameters and gradients are the caller's. Not thread-safe; one instance per thread.
// Internally it uses both cores through OpenMP (oneDNN's runtime).
// Failure: a batch whose layout or head count does not match the shape is a PRNN_CHECK
// failure (the data reader validates outside input before this point).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "nn/batch.h"
#include "nn/batch_stats.h"
#include "nn/network_shape.h"
#include "nn/param_arena.h"
#include "nn/precision.h"

namespace prnn {

struct TrainingOptions {
  Precision precision = Precision::kAuto;
  float dropout_keep_prob = 1.0f;
  // Per head: the label counted as "no event" for event/no_event_accuracy (355, the
  // 1-second time shift, for the one-hot encodings; the default event's label per head
  // for the note encoding). Empty = no head has one.
  std::vector<int> no_event_labels;
};

// How compute_gradients hands its result to data-parallel training (default: the plain
// gradient of the batch's mean loss, nothing reported).
struct GradientOptions {
  // The gradient is that of (Σ cross-entropy over the batch) / divisor; 0 = the batch's own
  // predictions (the mean loss). N ranks pass the predictions of the global batch, so the
  // sum of their gradients is the gradient of the global mean.
  int64_t divisor = 0;
  // Called during the backward pass with each stretch of `grads` that is final, top of
  // the network first (dense layer, then each LSTM layer's kernel and bias, contiguous in
  // the arena), so its allreduce can overlap the backward pass of the layers below.
  std::function<void(std::span<float>)> on_ready;
};

class TrainingStep {
 public:
  TrainingStep(const NetworkShape& shape, const TrainingOptions& options);
  ~TrainingStep();
  TrainingStep(const TrainingStep&) = delete;
  TrainingStep& operator=(const TrainingStep&) = delete;

  // Forward + backward. Overwrites `grads` (same layout as params) with d(loss)/d(params).
  // `dropout_seed` selects the dropout masks (ignored when keep_prob == 1); the same
  // seed, batch and parameters give bit-identical results.
  // REQUIRES: batch.layout == shape.input, batch.num_heads == shape.num_heads(), at least
  // one real position.
  BatchStats compute_gradients(const ParamArena& params, const Batch& batch, uint64_t dropout_seed,
                               ParamArena& grads, const GradientOptions& gradient_options = {});

  // Forward only, no dropout (the eval job).
  BatchStats evaluate(const ParamArena& params, const Batch& batch);

  // The precision actually used (kAuto resolved).
  Precision precision() const;

  // After evaluate(): its logits, (T, B, V) time-major; padding rows are unspecified.
  // (After compute_gradients() the buffer holds d loss / d logits.) For tests and tools.
  const std::vector<float>& last_logits() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prnn
