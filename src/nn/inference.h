// Step-by-step evaluation of the network for generation: B independent streams (batch
// rows) advanced together one event at a time, each with its own LSTM state.
//
// Ownership: the engine copies (and may repack) the weights at construction, so the
// ParamArena may be destroyed afterwards. All buffers are allocated at construction; step()
// does not allocate. Not thread-safe; uses OpenMP (both cores) inside the products.
// Products are fp32 unless a bf16 precision is asked for.
//
// Letters: B streams, K one-hot groups, D dense values, V logits (all heads, head order).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "nn/network_shape.h"
#include "nn/param_arena.h"
#include "nn/precision.h"

namespace prnn {

class InferenceEngine {
 public:
  InferenceEngine(const ParamArena& params, int num_streams,
                  Precision precision = Precision::kFp32);
  ~InferenceEngine();
  InferenceEngine(const InferenceEngine&) = delete;
  InferenceEngine& operator=(const InferenceEngine&) = delete;

  const NetworkShape& shape() const;
  int num_streams() const;

  // Zero state (the network's initial state) for every stream / for one stream.
  void reset();
  void reset_stream(int stream);

  // Advances every stream by one step. onehot is (B, K) class indices (−1 = that group
  // all-zero), dense is (B, D). Returns the logits (B, V); the span stays valid until
  // the next call that changes state. REQUIRES: indices < that group's size.
  std::span<const float> step(std::span<const int32_t> onehot, std::span<const float> dense);

  // Feeds T steps (onehot (T, B, K), dense (T, B, D)) and returns the last step's logits:
  // the primer pass.
  std::span<const float> prime(int num_steps, std::span<const int32_t> onehot,
                               std::span<const float> dense);

  // Beam search: afterwards stream s holds the state stream sources[s] had before.
  // REQUIRES: sources.size() == B, every entry in [0, B).
  void reorder_streams(std::span<const int> sources);
  void copy_stream(int from, int to);

  // State of one stream in one layer (H values each), readable and writable, in
  // Magenta's flattened order c0, h0, c1, h1, ...
  std::span<float> cell_state(int layer, int stream);
  std::span<float> hidden_state(int layer, int stream);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prnn
