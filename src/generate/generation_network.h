// The network as generation runs it: B streams advanced one event at a time, with the
// weights repacked once for fast matrix-vector products.
//
// Weights: each LSTM layer's [input + recurrent] kernel is packed in bf16 (when the CPU
// has AVX512-BF16; fp32 otherwise) with the gate columns regrouped so that one 16-unit
// block holds its i, j, f, o columns together and the cell update runs in the product's
// epilogue; layer 0's input rows stay fp32 and are gathered (one-hot) or accumulated
// (dense values). The forget bias (1.0, BasicLSTMCell's) is added at run time, as
// Magenta does; the stored weights do not include it. The dense layer is packed the same
// way. The epilogue also writes bf16(h') straight into the next product inputs (its own
// layer's for the next step, double-buffered by step parity, and the layer above's), so a
// step converts nothing. Per-step work allocates nothing; all buffers are sized at
// construction (prime()'s scratch at its first call).
//
// Ownership: the network copies what it needs from the ParamArena. Not thread-safe; with
// more than one thread allowed a step is ONE OpenMP parallel region, each thread a fixed
// share of every layer's unit blocks, a barrier after each layer (results do not depend
// on the thread count).
//
// Letters: B streams, L layers, H hidden units, G = 4H gates, I layer-0 input rows,
// D dense input values, K one-hot groups, V logits.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "generate/bf16_kernels.h"
#include "nn/network_shape.h"
#include "nn/param_arena.h"

namespace prnn {

class GenerationNetwork {
 public:
  // forget_bias: added to the f gate at run time (1.0 for Magenta's BasicLSTMCell).
  // use_bf16: false forces the fp32 kernels (the reference twin).
  GenerationNetwork(const ParamArena& params, int max_streams, bool use_bf16,
                    float forget_bias = 1.0f);
  ~GenerationNetwork();
  GenerationNetwork(const GenerationNetwork&) = delete;
  GenerationNetwork& operator=(const GenerationNetwork&) = delete;

  const NetworkShape& shape() const { return shape_; }
  int max_streams() const { return max_streams_; }
  bool uses_bf16() const { return use_bf16_; }
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

  // Advances streams [0, B) by one step. onehot is (B, K) class indices, dense (B, D).
  // Returns the logits (B, V), valid until the next step. REQUIRES: B <= max_streams,
  // every index inside its group.
  std::span<const float> step(int num_streams, std::span<const int32_t> onehot,
                              std::span<const float> dense);

  // Feeds `steps` inputs to streams [0, B) at once (a primer), continuing from their
  // state: onehot is (T, B, K) and dense (T, B, D), time-major. Afterwards the state is
  // the one T calls of step() leave (the same arithmetic in the same order). Layer 0's
  // input rows of all T·B rows are one gather, each higher layer's input projection one
  // (T·B, Hp) · (Hp, 4 Hp) product; only the recurrent product runs step by step. logits:
  // empty (none computed), (B, V) for the last step, or (T, B, V) for every step. Scratch
  // is bounded (chunks of 128 rows) and kept between calls.
  void prime(int num_streams, int steps, std::span<const int32_t> onehot,
             std::span<const float> dense, std::span<float> logits = {});

  // Threads used by step() (OpenMP); 1 by default. Two pay only when both cores are free:
  // a step then waits on 3 barriers, and a preempted thread stalls all of them.
  void set_threads(int threads) { threads_ = threads < 1 ? 1 : threads; }

  // State of one stream in one layer (H values), Magenta's c and h.
  std::span<const float> cell_state(int layer, int stream) const;
  std::span<const float> hidden_state(int layer, int stream) const;

 private:
  struct Layer {
    int hidden = 0;                   // H
    int padded = 0;                   // Hp: H rounded up to 16 units
    int rows = 0;                     // K: product rows (layer 0: Hp; others: Hp below + Hp)
    std::vector<uint16_t> packed;     // bf16 path, see bf16_kernels.h
    std::vector<float> gate_bias;     // (4 Hp) packed column order, forget bias included
    std::vector<float> input_rows;    // layer 0: (I, 4 Hp) packed column order
    std::vector<float> kernel, bias;  // fp32 path: Magenta's [I + H, 4H] and [4H]
    std::vector<float> c, h;          // (B, Hp)
    // bf16 product inputs [h below | own h], (2, B, K): parity p is read by the step at
    // parity p, which writes the own-h part of 1 − p.
    std::vector<uint16_t> x;
    std::vector<float> init;  // layer 0: (B, 4 Hp) bias + input rows
  };
  // Layer 0's gate rows (rows, 4 Hp) from the inputs, columns [first_column, end_column).
  void gather_inputs(int rows, const int32_t* onehot, const float* dense, float* gates,
                     int first_column, int end_column) const;
  template <typename Body>
  void for_blocks(int blocks, int piece, Body body) const;
  // The recurrent product of a layer reading x at `parity`.
  bf16_kernels::LstmBlocks recurrent_args(int layer, int num_streams, const float* init,
                                          int init_stride, int parity);
  bf16_kernels::LstmBlocks step_args(int layer, int num_streams);
  void refresh_inputs(int first, int end);
  uint16_t* layer_x(Layer& layer, int parity) const;
  void output_bf16(int rows, const uint16_t* top_h, int x_stride, float* logits);
  void reserve_prime_rows(int rows);
  // T steps of B streams (rows = T·B ≤ the reserved rows); logits of rows from
  // first_logit_row on, unless null.
  void prime_chunk_bf16(int num_streams, int steps, const int32_t* onehot, const float* dense,
                        float* logits, int first_logit_row);
  void prime_chunk_fp32(int num_streams, int steps, const int32_t* onehot, const float* dense,
                        float* logits, int first_logit_row);

  NetworkShape shape_;
  int max_streams_;
  bool use_bf16_;
  float forget_bias_;
  int threads_ = 1;
  int parity_ = 0;       // which x the next step reads
  // Streams from stale_from_ on hold no current bf16 inputs at parity_ (the state changed
  // outside step(), or a step advanced fewer streams): refreshed when next stepped.
  int stale_from_ = 0;
  std::vector<Layer> layers_;
  // Dense layer: packed bf16 weights over Vp = V rounded up to 16 columns, padded biases;
  // fp32 path: Magenta's [H, V] weights.
  std::vector<uint16_t> out_packed_;
  std::vector<float> out_bias_;
  std::vector<float> out_weights_;
  int padded_logits_ = 0;
  std::vector<uint16_t> top_x_;    // (B, Hp top) bf16
  std::vector<float> padded_out_;  // (B, Vp)
  std::vector<float> logits_;      // (B, V)
  std::vector<float> reorder_scratch_;
  // prime() scratch (the fp32 step uses it too): gate rows (rows, 4 Hp), and each layer's
  // h of every row as the next layer's input (rows, sequence_width_), bf16 or fp32.
  int sequence_width_ = 0;  // widest Hp
  std::vector<float> prime_gates_;
  std::vector<uint16_t> prime_x_;
  std::vector<float> prime_h_;
};

}  // namespace prnn
