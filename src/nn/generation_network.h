// The network as generation runs it: B streams advanced one event at a time, with the
// weights repacked once for fast matrix-vector products.
//
// Weights: each LSTM layer's [input + recurrent] kernel is packed (bf16, fp32 or int8 with
// per-column scales, see step_kernels.h and int8_weights.h) with the gate columns regrouped so that one 16-unit
// block holds its i, j, f, o columns together and the cell update runs in the product's
// epilogue; layer 0's input rows stay fp32 and are gathered (one-hot) or accumulated
// (dense values). The forget bias (1.0, BasicLSTMCell's) is added at run time, as
// Magenta does; the stored weights do not include it. The dense layer is packed the same
// way. The epilogue also writes h' (in the product input type) straight into the next product inputs (its own
// layer's for the next step, double-buffered by step parity, and the layer above's), so a
// step converts nothing. Per-step work allocates nothing; all buffers are sized at
// construction (prime()'s scratch at its first call).
//
// Ownership: the network copies what it needs from the ParamArena. Not thread-safe; with
// more than one thread allowed a step is ONE OpenMP parallel region, each thread a fixed
// share of every layer's unit blocks, a barrier after each layer (results do not depend
// on the thread count).
//
// Letters (doc/design.md): B streams, L layers, H hidden units, G = 4H gates, I layer-0
// input rows, D dense input values, O one-hot groups, K product rows, V logits.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "nn/int8_weights.h"
#include "nn/isa.h"
#include "nn/step_kernels.h"
#include "nn/network_shape.h"
#include "nn/param_arena.h"
#include "nn/thread_chooser.h"

namespace prnn {

// How a GenerationNetwork computes: the kernels of one instruction-set level over one weight
// storage, or the reference twin (Magenta's formulas as plain fp32 loops on the unpacked
// weights: the test oracle, never what a user runs).
struct NetworkKernels {
  bool reference = false;
  Isa isa = Isa::kBaseline;
  WeightFormat weights = WeightFormat::kBf16;

  // The process's selected level (selected_isa()) with `weights`.
  static NetworkKernels fast(WeightFormat weights = kDefaultWeights);
  static NetworkKernels reference_twin() { return {true, Isa::kBaseline, WeightFormat::kFp32}; }
  // "avx2/bf16", or "reference/fp32".
  std::string name() const;

  // The storage generation uses unless told otherwise.
  static constexpr WeightFormat kDefaultWeights = WeightFormat::kBf16;
};

class GenerationNetwork {
 public:
  // stored_int8: int8 weights kept with the model (an int8 model file), used as they are by
  // int8 kernels instead of quantizing params at load (int8_weights.h); ignored by other
  // kernels. Each must be the int8 form int8 generation uses of the params tensor it names
  // (same shape, int8_first_row), holding values that dequantize to that tensor's; matrices
  // without one are quantized from params. forget_bias: added to the f gate at run time
  // (1.0 for Magenta's BasicLSTMCell). REQUIRES: cpu_supports(kernels.isa).
  GenerationNetwork(const ParamArena& params, int max_streams,
                    NetworkKernels kernels = NetworkKernels::fast(),
                    std::span<const Int8Matrix> stored_int8 = {}, float forget_bias = 1.0f);
  ~GenerationNetwork();
  GenerationNetwork(const GenerationNetwork&) = delete;
  GenerationNetwork& operator=(const GenerationNetwork&) = delete;

  const NetworkShape& shape() const { return shape_; }
  int max_streams() const { return max_streams_; }
  const NetworkKernels& kernels() const { return kernels_; }
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
  struct Layer {
    int hidden = 0;                   // H
    int padded = 0;                   // Hp: H rounded up to 16 units
    int rows = 0;                     // K: product rows (layer 0: Hp; others: Hp below + Hp)
    std::vector<uint8_t> packed;      // fast path, see step_kernels.h
    std::vector<float> scale;         // int8: (4 Hp) per packed column
    std::vector<float> gate_bias;     // (4 Hp) packed column order, forget bias included
    std::vector<float> input_rows;    // layer 0: (I, 4 Hp) packed column order
    std::vector<float> kernel, bias;  // reference twin: Magenta's [I + H, 4H] and [4H]
    std::vector<float> c, h;          // (B, Hp)
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

  NetworkShape shape_;
  int max_streams_;
  NetworkKernels kernels_;
  const StepKernels* fast_ = nullptr;  // null for the reference twin
  size_t input_bytes_ = 0;
  float forget_bias_;
  int threads_ = 1;         // fixed count, or 0: chosen by the choosers below
  int active_threads_ = 1;  // of the operation running now
  ThreadChooser step_chooser_, prime_chooser_;
  int parity_ = 0;  // which x the next step reads
  // Streams from stale_from_ on hold no current product inputs at parity_ (the state changed
  // outside step(), or a step advanced fewer streams): refreshed when next stepped.
  int stale_from_ = 0;
  std::vector<Layer> layers_;
  std::vector<int> group_offset_;  // layer 0's first input row of each one-hot group
  // Dense layer: packed weights over Vp = V rounded up to 16 columns, padded biases (and
  // int8 scales); reference twin: Magenta's [H, V] weights.
  std::vector<uint8_t> out_packed_;
  std::vector<float> out_scale_;
  std::vector<float> out_bias_;
  std::vector<float> out_weights_;
  int padded_logits_ = 0;
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
