// AVX512-BF16 kernels of GenerationNetwork: matrix-vector products over weights packed as
// bf16 pairs, fp32 accumulation, the LSTM cell update fused into the epilogue.
//
// Packed layouts (w is bf16, two consecutive product rows k per 32-bit lane pair):
//   LSTM layer: [H/16 unit blocks][K/2 row pairs][64 columns: i0..15 j0..15 f0..15 o0..15][2]
//   dense layer: [V/16 column blocks][K/2 row pairs][16 columns][2]
// Product inputs x are bf16, (B, K) with K even. Callers check available() first; the
// functions are pure (no state), thread-safe on disjoint outputs, and never allocate.
#pragma once

#include <cstdint>

namespace prnn::bf16_kernels {

// True when this CPU runs the kernels (AVX512F/BW/VL and AVX512-BF16).
bool available();

// out[i] = bf16(in[i]) (round to nearest even), n values.
void to_bf16(const float* in, int n, uint16_t* out);

// One LSTM layer's product over streams [0, B): gates = init + x · W[k_begin, k_end)
// (row pairs), W packed as above with k_pairs row pairs per unit block. x is (B, 2·k_pairs)
// bf16 with row stride x_stride (only pairs [k_begin, k_end) are read); init is (B, G)
// with row stride init_stride (0 to share one row). For lstm_blocks, c and h are (B, Hp)
// with row stride hp; for gate_blocks, gates is (B, G) with row stride gates_stride.
struct LstmBlocks {
  const uint16_t* w = nullptr;
  int k_pairs = 0;
  int k_begin = 0, k_end = 0;
  int num_streams = 0;
  const uint16_t* x = nullptr;
  int x_stride = 0;
  const float* init = nullptr;
  int init_stride = 0;
  float* c = nullptr;
  float* h = nullptr;
  int hp = 0;
  // lstm_blocks also writes bf16(h') to these (B, ·) arrays when not null (unit u at u).
  uint16_t* h_bf16[2] = {nullptr, nullptr};
  int h_bf16_stride[2] = {0, 0};
  float* gates = nullptr;
  int gates_stride = 0;
};

// For unit blocks [block_begin, block_end), the product then the cell update:
//   c' = c·σ(f) + σ(i)·tanh(j);  h' = tanh(c')·σ(o)   (forget bias already in init)
void lstm_blocks(const LstmBlocks& args, int block_begin, int block_end);

// For unit blocks [block_begin, block_end), the product only, stored in `gates` (fp32,
// exactly the accumulators lstm_blocks would continue from).
void gate_blocks(const LstmBlocks& args, int block_begin, int block_end);

// out = bias + x · W for column blocks [block_begin, block_end); out is (B, Vp), stride vp.
void dense_blocks(const uint16_t* w, int k_pairs, int block_begin, int block_end, int num_streams,
                  const uint16_t* x, int x_stride, const float* bias, float* out, int vp);

}  // namespace prnn::bf16_kernels
