#include <immintrin.h>

#include <algorithm>

#include "nn/step_kernels.h"
#include "nn/stream_groups.h"

// The AVX512-BF16 StepKernels for bf16 weights (step_kernels.h): vdpbf16ps over the pair
// layout. Every function here is compiled for AVX-512 with BF16; step_kernels() hands
// them out only where the CPU has it.
#if defined(__clang__)
#pragma clang attribute push(                                                     \
    __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512bf16,fma"))), \
    apply_to = function)
#else
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,avx512bf16,fma")
#endif

namespace prnn {
namespace {

// e^x with a degree-6 polynomial after range reduction; relative error about 2e-7.
inline __m512 exp512(__m512 x) {
  x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0f)), _mm512_set1_ps(88.0f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145752f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.42860677e-6f), r);
  __m512 p = _mm512_set1_ps(1.0f / 720);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_scalef_ps(p, n);
}

inline __m512 sigmoid512(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.0f);
  return _mm512_div_ps(one, _mm512_add_ps(one, exp512(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

// tanh(x) = 2σ(2x) − 1
inline __m512 tanh512(__m512 x) {
  const __m512 two = _mm512_set1_ps(2.0f);
  return _mm512_fmsub_ps(two, sigmoid512(_mm512_mul_ps(two, x)), _mm512_set1_ps(1.0f));
}

inline __m512bh as_bh(__m512i v) { return reinterpret_cast<__m512bh>(v); }

// UB unit blocks × NB streams: 4·UB·NB accumulators over row pairs [k_begin, k_end).
// kCellUpdate: the LSTM cell update into c and h; otherwise the gates go to `gates`.
template <int UB, int NB, bool kCellUpdate>
void lstm_tile(const ProductArgs& a, int block) {
  __m512 acc[NB][UB][4];
#pragma GCC unroll 32
  for (int b = 0; b < NB; ++b)
#pragma GCC unroll 32
    for (int u = 0; u < UB; ++u)
#pragma GCC unroll 32
      for (int g = 0; g < 4; ++g)
        acc[b][u][g] = _mm512_loadu_ps(a.init + b * a.init_stride + (block + u) * 64 + g * 16);
  const size_t block_stride = static_cast<size_t>(a.k_pairs) * 128;  // uint16 per unit block
  const uint16_t* wb = static_cast<const uint16_t*>(a.w) + block * block_stride;
  const uint16_t* x = static_cast<const uint16_t*>(a.x);
  for (int kp = a.k_begin; kp < a.k_end; ++kp) {
    __m512i wv[UB][4];
#pragma GCC unroll 32
    for (int u = 0; u < UB; ++u)
#pragma GCC unroll 32
      for (int g = 0; g < 4; ++g)
        wv[u][g] = _mm512_loadu_si512(wb + u * block_stride + kp * 128 + g * 32);
#pragma GCC unroll 32
    for (int b = 0; b < NB; ++b) {
      uint32_t pair;
      __builtin_memcpy(&pair, x + b * a.x_stride + 2 * kp, 4);
      const __m512bh xb = as_bh(_mm512_set1_epi32(static_cast<int>(pair)));
#pragma GCC unroll 32
      for (int u = 0; u < UB; ++u)
#pragma GCC unroll 32
        for (int g = 0; g < 4; ++g)
          acc[b][u][g] = _mm512_dpbf16_ps(acc[b][u][g], as_bh(wv[u][g]), xb);
    }
  }
#pragma GCC unroll 32
  for (int b = 0; b < NB; ++b) {
#pragma GCC unroll 32
    for (int u = 0; u < UB; ++u) {
      if constexpr (kCellUpdate) {
        float* cb = a.c + b * a.hp + (block + u) * 16;
        float* hb = a.h + b * a.hp + (block + u) * 16;
        const __m512 c_new =
            _mm512_fmadd_ps(_mm512_loadu_ps(cb), sigmoid512(acc[b][u][2]),
                            _mm512_mul_ps(sigmoid512(acc[b][u][0]), tanh512(acc[b][u][1])));
        const __m512 h_new = _mm512_mul_ps(tanh512(c_new), sigmoid512(acc[b][u][3]));
        _mm512_storeu_ps(cb, c_new);
        _mm512_storeu_ps(hb, h_new);
        const __m256i h_bf16 = reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(h_new));
        for (int d = 0; d < 2; ++d) {
          if (a.h_out[d] != nullptr) {
            _mm256_storeu_si256(
                reinterpret_cast<__m256i*>(static_cast<uint16_t*>(a.h_out[d]) +
                                           b * a.h_out_stride[d] + (block + u) * 16),
                h_bf16);
          }
        }
      } else {
#pragma GCC unroll 32
        for (int g = 0; g < 4; ++g)
          _mm512_storeu_ps(a.gates + b * a.gates_stride + (block + u) * 64 + g * 16, acc[b][u][g]);
      }
    }
  }
}

template <int VB, int NB>
void dense_tile(const uint16_t* w, int k_pairs, int block, const uint16_t* x, int x_stride,
                const float* bias, float* out, int vp) {
  __m512 acc[NB][VB];
#pragma GCC unroll 32
  for (int b = 0; b < NB; ++b)
#pragma GCC unroll 32
    for (int v = 0; v < VB; ++v) acc[b][v] = _mm512_loadu_ps(bias + (block + v) * 16);
  const size_t block_stride = static_cast<size_t>(k_pairs) * 32;
  const uint16_t* wb = w + block * block_stride;
  for (int kp = 0; kp < k_pairs; ++kp) {
    __m512i wv[VB];
#pragma GCC unroll 32
    for (int v = 0; v < VB; ++v) wv[v] = _mm512_loadu_si512(wb + v * block_stride + kp * 32);
#pragma GCC unroll 32
    for (int b = 0; b < NB; ++b) {
      uint32_t pair;
      __builtin_memcpy(&pair, x + b * x_stride + 2 * kp, 4);
      const __m512bh xb = as_bh(_mm512_set1_epi32(static_cast<int>(pair)));
#pragma GCC unroll 32
      for (int v = 0; v < VB; ++v) acc[b][v] = _mm512_dpbf16_ps(acc[b][v], as_bh(wv[v]), xb);
    }
  }
#pragma GCC unroll 32
  for (int b = 0; b < NB; ++b)
#pragma GCC unroll 32
    for (int v = 0; v < VB; ++v) _mm512_storeu_ps(out + b * vp + (block + v) * 16, acc[b][v]);
}

// Groups of up to 6 streams (a block's weights stay in L1/L2 across the groups).
constexpr int kMaxStreams = 6;

void to_bf16(const float* in, int n, void* out_bytes) {
  uint16_t* out = static_cast<uint16_t*>(out_bytes);
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(in + i + 16), _mm512_loadu_ps(in + i));
    _mm512_storeu_si512(out + i, reinterpret_cast<__m512i>(v));
  }
  for (; i < n; ++i) {
    uint32_t bits;
    __builtin_memcpy(&bits, in + i, 4);
    bits += 0x7fff + ((bits >> 16) & 1);
    out[i] = static_cast<uint16_t>(bits >> 16);
  }
}

// Streams [0, B) of `a` over unit blocks [block_begin, block_end).
template <bool kCellUpdate>
void run_lstm_blocks(const ProductArgs& a, int block_begin, int block_end) {
  int block = block_begin;
  if (a.num_streams == 1) {  // latency path: 16 independent accumulators
    for (; block + 4 <= block_end; block += 4) lstm_tile<4, 1, kCellUpdate>(a, block);
    for (; block < block_end; ++block) lstm_tile<1, 1, kCellUpdate>(a, block);
    return;
  }
  for (; block < block_end; ++block) {
    for_stream_groups<kMaxStreams>(a.num_streams, [&]<int NB>(int b) {
      const ProductArgs group = stream_range(a, b, NB, sizeof(uint16_t));
      lstm_tile<1, NB, kCellUpdate>(group, block);
    });
  }
}

void lstm_blocks(const ProductArgs& a, int block_begin, int block_end) {
  run_lstm_blocks<true>(a, block_begin, block_end);
}

void gate_blocks(const ProductArgs& a, int block_begin, int block_end) {
  run_lstm_blocks<false>(a, block_begin, block_end);
}

void dense_blocks(const ProductArgs& a, int block_begin, int block_end) {
  const uint16_t* w = static_cast<const uint16_t*>(a.w);
  const uint16_t* x = static_cast<const uint16_t*>(a.x);
  const int k_pairs = a.k_pairs, num_streams = a.num_streams, x_stride = a.x_stride;
  const int vp = a.gates_stride;
  const float* bias = a.init;
  float* out = a.gates;
  int block = block_begin;
  if (num_streams == 1) {
    for (; block + 5 <= block_end; block += 5)
      dense_tile<5, 1>(w, k_pairs, block, x, x_stride, bias, out, vp);
    for (; block < block_end; ++block)
      dense_tile<1, 1>(w, k_pairs, block, x, x_stride, bias, out, vp);
    return;
  }
  for (; block < block_end; ++block) {
    for_stream_groups<kMaxStreams>(num_streams, [&]<int NB>(int b) {
      dense_tile<1, NB>(w, k_pairs, block, x + b * x_stride, x_stride, bias, out + b * vp, vp);
    });
  }
}

}  // namespace

const StepKernels& avx512_bf16_step_kernels() {
  static constexpr StepKernels kTable = {16,           lstm_blocks, gate_blocks,
                                         dense_blocks, to_bf16,     avx512_gather_inputs};
  return kTable;
}

}  // namespace prnn

#if defined(__clang__)
#pragma clang attribute pop
#endif
