// The generation network's matrix-vector kernels, one table per (instruction-set level,
// weight storage): products over packed weights with fp32 accumulation, the LSTM cell
// update fused into the epilogue.
//
// Packed layouts, for column blocks of C columns (LSTM layer: C = 64, the i, j, f, o columns
// of 16 units: i0..15 j0..15 f0..15 o0..15; dense layer: C = 16 logits), product rows k in
// pairs kp = k / 2, e = k % 2. Each block is stored as 16 / W groups of W units (W: the
// kernels' group_width, one vector of fp32 lanes), each group with all its rows, so that a
// tile's weights are one contiguous run; for a group, G = C / 16 gates of W columns:
//   bf16 (uint16): [blocks][16/W][K/2][G][W][2]   (pairs interleaved, what vdpbf16ps reads)
//   fp32 (float) and int8 (int8_t): [blocks][16/W][K/2][2][G][W]
// With W = 16 a block is [K/2][C][2] (bf16) or [K/2][2][C].
// int8 weights come with one fp32 scale per packed column (w = scale · q). Product inputs
// x (and the epilogue's copies of h') are bf16 for bf16 weights and fp32 otherwise, (B, K)
// with K even. Without AVX512-BF16 the bf16 weights and inputs are widened to fp32 in
// registers (exact) and multiplied in fp32. The functions are pure, thread-safe on
// disjoint outputs and never allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "nn/bf16.h"
#include "nn/isa.h"

namespace prnn {

enum class WeightFormat { kBf16, kFp32, kInt8 };

const char* weight_format_name(WeightFormat format);
// "int8", "bf16" or "fp32"; throws UsageError naming `source` otherwise.
WeightFormat parse_weight_format(const std::string& text, const std::string& source);
// Bytes of one stored weight / of one product input value.
size_t weight_bytes(WeightFormat format);
size_t input_bytes(WeightFormat format);
// Index of weight (kp, e, column) of `block` in a packed matrix of k_pairs row pairs,
// `columns` columns per block and groups of group_width units.
size_t packed_index(WeightFormat format, int group_width, int block, int k_pairs, int columns,
                    int kp, int e, int column);

// One product over streams [0, B): out = init + x · W over row pairs [k_begin, k_end).
// init is (B, C·blocks) with row stride init_stride (0 to share one row). LSTM cell
// epilogue: c and h are (B, Hp) with row stride hp, and h' is also written (in the input
// type) to the non-null h_out arrays (unit u at u). Otherwise out goes to `gates`.
struct ProductArgs {
  const void* w = nullptr;
  const float* scale = nullptr;  // int8 only: per packed column
  int k_pairs = 0;
  int k_begin = 0, k_end = 0;
  int num_streams = 0;
  const void* x = nullptr;
  int x_stride = 0;
  const float* init = nullptr;
  int init_stride = 0;
  float* c = nullptr;
  float* h = nullptr;
  int hp = 0;
  void* h_out[2] = {nullptr, nullptr};
  int h_out_stride[2] = {0, 0};
  float* gates = nullptr;
  int gates_stride = 0;
};

// The same product restricted to streams [first, first + count) of `a`: every per-stream
// pointer (x, init unless shared, c, h, h_out, gates) moved to stream `first`.
// input_bytes: bytes of one product input value (input_bytes(format)).
ProductArgs stream_range(const ProductArgs& a, int first, int count, size_t input_bytes);

// Layer 0's gate pre-activations of `rows` input rows over packed columns [first, end)
// (multiples of 64): out (rows, width) = bias + Σ_d dense[d] · table[d] (zero values
// skipped) + Σ_k table[group_offset[k] + onehot[k]] (groups with index < 0 skipped), added
// in that order. table is the fp32 (input rows, width) layer-0 input rows in packed column
// order; every index must lie inside its group.
struct GatherArgs {
  const float* bias = nullptr;
  const float* table = nullptr;
  int width = 0;
  int rows = 0;
  const float* dense = nullptr;  // (rows, dense_size)
  int dense_size = 0;
  const int32_t* onehot = nullptr;  // (rows, groups)
  const int* group_offset = nullptr;
  int groups = 0;
  float* out = nullptr;
};

struct StepKernels {
  // W of the packed layouts: units per group (16 for AVX-512, 8 for AVX2, 4 for baseline).
  int group_width;
  // LSTM unit blocks [begin, end): the product then c' = c·σ(f) + σ(i)·tanh(j),
  // h' = tanh(c')·σ(o) (forget bias already in init).
  void (*lstm_blocks)(const ProductArgs& args, int block_begin, int block_end);
  // LSTM unit blocks [begin, end): the product only, into `gates`.
  void (*gate_blocks)(const ProductArgs& args, int block_begin, int block_end);
  // Dense column blocks [begin, end) (16 columns each), into `gates`.
  void (*dense_blocks)(const ProductArgs& args, int block_begin, int block_end);
  // out[i] = input value of in[i] (bf16 round to nearest even, or a copy), n values.
  void (*to_input)(const float* in, int n, void* out);
  // The layer-0 gather of GatherArgs, columns [first, end).
  void (*gather_inputs)(const GatherArgs& args, int first, int end);
};

// The kernels of `isa` for `format`. REQUIRES: cpu_supports(isa).
const StepKernels& step_kernels(Isa isa, WeightFormat format);

}  // namespace prnn

namespace prnn {

// The per-ISA tables step_kernels() picks from (one translation unit each).
const StepKernels& avx512_bf16_step_kernels();  // bf16 weights only
const StepKernels& avx512_step_kernels(WeightFormat format);
const StepKernels& avx2_step_kernels(WeightFormat format);
const StepKernels& baseline_step_kernels(WeightFormat format);
// The AVX-512 layer-0 gather (step_kernels_avx512.cc), which the AVX512-BF16 table shares.
void avx512_gather_inputs(const GatherArgs& args, int first, int end);

}  // namespace prnn
