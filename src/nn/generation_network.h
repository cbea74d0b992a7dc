// The network as generation runs it: B streams advanced one event at a time, over weights
// packed once for fast matrix-vector products (GenerationWeights: the layout, the forget
// bias). Each LSTM layer's product runs the cell update in its epilogue, which also writes
// h' (in the product input type) straight into the next product inputs (its own layer's
// for the next step, double-buffered by step parity, and the layer above's), so a step
// converts nothing. Per-step work allocates nothing; all buffers are sized at construction
// (prime()'s scratch at its first call).
//
// Ownership: the network holds its weights through a shared_ptr to const (its own, or
// shared with other networks) and owns its streams' state. Not thread-safe, but networks
// sharing weights may step on different threads at once. With more than one thread
// allowed, a step is ONE OpenMP parallel region, each thread a fixed share of every layer's
// unit blocks, a barrier after each layer (results do not depend on the thread count).
//
// Letters (doc/design.md): B streams, L layers, H hidden units, G = 4H gates, I layer-0
// input rows, D dense input values, O one-hot groups, K product rows, V logits.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "nn/generation_weights.h"
#include "nn/int8_weights.h"
#include "nn/isa.h"
#include "nn/step_kernels.h"
#include "nn/network_shape.h"
#include "nn/param_arena.h"
#include "nn/thread_chooser.h"

namespace prnn {

class GenerationNetwork {
 public:
  // Packs its own weights (GenerationWeights: stored_int8, forget_bias).
  GenerationNetwork(const ParamArena& params, int max_streams,
                    NetworkKernels kernels = NetworkKernels::fast(),
                    std::span<const Int8Matrix> stored_int8 = {}, float forget_bias = 1.0f);
  // Shares `weights` (with any other network made from them); this network owns only its
  // streams' state and scratch. REQUIRES: cpu_supports(weights->kernels.isa).
  GenerationNetwork(std::shared_ptr<const GenerationWeights> weights, int max_streams);
  ~GenerationNetwork();
  GenerationNetwork(const GenerationNetwork&) = delete;
  GenerationNetwork& operator=(const GenerationNetwork&) = delete;

  const NetworkShape& shape() const { return shape_; }
  int max_streams() const { return max_streams_; }
  const NetworkKernels& kernels() const { return kernels_; }
  const std::shared_ptr<const GenerationWeights>& weights() const { return weights_; }
  // Bytes of packed weights (what a step reads).
  size_t weight_bytes() const;

  // Zero LSTM state for every stream / one stream.
  void reset();
  void reset_stream(int stream);
  // Stream `to` takes a copy of stream `from`'s state (beam search).
  void copy_stream(int from, int to);
  // Afterwards stream s holds the state stream sources[s] had before, for s < sources.size().
  // No allocation.
  void reorder_streams(std::span<const int> sources);
  // The whole LSTM state of one stream (c then h of each layer), to keep it outside the
  // network between runs, and back.
  std::vector<float> save_stream(int stream) const;
  void load_stream(int stream, std::span<const float> state);

  // Advances streams [0, B) by one step. onehot is (B, O) class indices, dense (B, D).
  // Returns the logits (B, V), valid until the next step. REQUIRES: B <= max_streams,
  // every index inside its group.
  std::span<const float> step(int num_streams, std::span<const int32_t> onehot,
                              std::span<const float> dense);

  // Feeds `steps` inputs to streams [0, B) at once (a primer), continuing from their
  // state: onehot is (T, B, O) and dense (T, B, D), time-major. Afterwards the state is
  // the one T calls of step() leave (the same arithmetic in the same order). Layer 0's
  // input rows of all T·B rows are one gather, each higher layer's input projection one
  // (T·B, Hp) · (Hp, 4 Hp) product; only the recurrent product runs step by step. logits:
  // empty (none computed), (B, V) for the last step, or (T, B, V) for every step. Scratch
  // is bounded (chunks of 128 rows) and kept between calls.
  void prime(int num_streams, int steps, std::span<const int32_t> onehot,
             std::span<const float> dense, std::span<float> logits = {});

  // Threads used by step() and prime() (OpenMP); 1 by default. 0: automatic, one or two
  // (when the machine has two CPUs or more), whichever is faster as measured while running
  // (ThreadChooser, separately for steps and primer chunks): two pay only when both cores
  // are free, since a step waits on 3 barriers and a preempted thread stalls all of them.
  void set_threads(int threads);

  // State of one stream in one layer (H values), Magenta's c and h.
  std::span<const float> cell_state(int layer, int stream) const;
  std::span<const float> hidden_state(int layer, int stream) const;

 private:
  // One layer's state for max_streams streams, and its weights.
  struct Layer {
    const GenerationWeights::Layer* w = nullptr;  // its weights and sizes (H, Hp, K)
    std::vector<float> c, h;                      // (B, Hp)
    // Product inputs [h below | own h], (2, B, K) in the input type: parity p is read by
    // the step at parity p, which writes the own-h part of 1 − p.
    std::vector<uint8_t> x;
    std::vector<float> init;  // layer 0: (B, 4 Hp) bias + input rows
  };
  // Layer 0's gate rows (rows, 4 Hp) from the inputs, columns [first_column, end_column).
  void gather_inputs(int rows, const int32_t* onehot, const float* dense, float* gates,
                     int first_column, int end_column) const;
  template <typename Body>
  void for_blocks(int blocks, int piece, Body body) const;
  // The recurrent product of a layer reading x at `parity`.
  ProductArgs recurrent_args(int layer, int num_streams, const float* init, int init_stride,
                             int parity);
  ProductArgs step_args(int layer, int num_streams);
  ProductArgs dense_args(int num_streams, const void* top_h, int x_stride);
  void refresh_inputs(int first, int end);
  uint8_t* layer_x(Layer& layer, int parity) const;
  // `base` advanced by `elements` product input values.
  void* input_at(void* base, size_t elements) const {
    return static_cast<uint8_t*>(base) + elements * input_bytes_;
  }
  void output_fast(int rows, const void* top_h, int x_stride, float* logits);
  void reserve_prime_rows(int rows);
  // T steps of B streams (rows = T·B ≤ the reserved rows); logits of rows from
  // first_logit_row on, unless null.
  void prime_chunk_fast(int num_streams, int steps, const int32_t* onehot, const float* dense,
                        float* logits, int first_logit_row);
  void prime_chunk_fp32(int num_streams, int steps, const int32_t* onehot, const float* dense,
                        float* logits, int first_logit_row);

  std::shared_ptr<const GenerationWeights> weights_;
  const NetworkShape& shape_;      // weights_'s
  const NetworkKernels& kernels_;  // weights_'s
  int max_streams_;
  const StepKernels* fast_ = nullptr;  // null for the reference twin
  size_t input_bytes_ = 0;
  int threads_ = 1;         // fixed count, or 0: chosen by the choosers below
  int active_threads_ = 1;  // of the operation running now
  ThreadChooser step_chooser_, prime_chooser_;
  int parity_ = 0;  // which x the next step reads
  // Streams from stale_from_ on hold no current product inputs at parity_ (the state changed
  // outside step(), or a step advanced fewer streams): refreshed when next stepped.
  int stale_from_ = 0;
  std::vector<Layer> layers_;
  int padded_logits_ = 0;          // Vp
  std::vector<uint8_t> top_x_;     // (B, Hp top) product inputs
  std::vector<float> padded_out_;  // (B, Vp)
  std::vector<float> logits_;      // (B, V)
  std::vector<float> reorder_scratch_;
  // prime() scratch (the reference step uses it too): gate rows (rows, 4 Hp), and each
  // layer's h of every row as the next layer's input (rows, sequence_width_): product
  // inputs (fast) or fp32 (reference).
  int sequence_width_ = 0;  // widest Hp
  std::vector<float> prime_gates_;
  std::vector<uint8_t> prime_x_;
  std::vector<float> prime_h_;
};

}  // namespace prnn
