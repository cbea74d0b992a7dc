// The portable body of the StepKernels (step_kernels.h), written once over a vector type
// V of the instruction set the including file is compiled for: step_kernels_avx512.cc,
// step_kernels_avx2.cc and step_kernels_baseline.cc each include their standard headers
// first, then set `#pragma GCC target` (none for baseline) and PRNN_KERNEL_VECTOR_BITS
// (512, 256 or 128: GCC's pragma does not define __AVX2__ and friends), then include this
// file. Everything here has internal linkage, so the per-ISA copies never meet at link
// time.
//
// Accumulation is fp32 FMA (baseline: multiply then add); bf16 weights and inputs are
// widened to fp32 in registers. A tile holds UG unit groups (one vector of L lanes each)
// of all gates for NB streams in registers while it walks the row pairs.
#include <immintrin.h>

#include "nn/stream_groups.h"

#ifndef PRNN_NN_BF16_H
#error "nn/bf16.h (through nn/step_kernels.h) must come before the target pragma"
#endif

namespace prnn {
namespace {

#if PRNN_KERNEL_VECTOR_BITS == 512
struct V {
  using T = __m512;
  static constexpr int kLanes = 16;
  static constexpr int kLatencyAccumulators = 16;  // of 32 registers
  static constexpr int kMaxStreams = 4;            // 16 accumulators + 8 inputs + 2 weights
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static T set1(float v) { return _mm512_set1_ps(v); }
  static T zero() { return _mm512_setzero_ps(); }
  static T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }
  static T add(T a, T b) { return _mm512_add_ps(a, b); }
  static T sub(T a, T b) { return _mm512_sub_ps(a, b); }
  static T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static T div(T a, T b) { return _mm512_div_ps(a, b); }
  static T min(T a, T b) { return _mm512_min_ps(a, b); }
  static T max(T a, T b) { return _mm512_max_ps(a, b); }
  // 2^n for integral n in [-127, 128].
  static T pow2(T n) {
    return _mm512_castsi512_ps(
        _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127)), 23));
  }
  // L bf16 pairs: the even (low half) and odd (high half) rows as fp32.
  static T bf16_even(const uint16_t* pairs) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_loadu_si512(pairs), 16));
  }
  static T bf16_odd(const uint16_t* pairs) {
    return _mm512_castsi512_ps(
        _mm512_and_si512(_mm512_loadu_si512(pairs), _mm512_set1_epi32(int(0xffff0000u))));
  }
  // One bf16 pair (x0 low, x1 high) broadcast to every lane as fp32.
  static void bf16_pair(uint32_t pair, T& x0, T& x1) {
    const __m512i v = _mm512_set1_epi32(static_cast<int>(pair));
    x0 = _mm512_castsi512_ps(_mm512_slli_epi32(v, 16));
    x1 = _mm512_castsi512_ps(_mm512_and_si512(v, _mm512_set1_epi32(int(0xffff0000u))));
  }
  static T from_int8(const int8_t* q) {
    return _mm512_cvtepi32_ps(
        _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q))));
  }
};
#elif PRNN_KERNEL_VECTOR_BITS == 256
struct V {
  using T = __m256;
  static constexpr int kLanes = 8;
  static constexpr int kLatencyAccumulators = 8;  // of 16 registers
  static constexpr int kMaxStreams = 2;  // 3 spill (12 accumulators + 6 inputs + 2 weights)
  static T load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static T set1(float v) { return _mm256_set1_ps(v); }
  static T zero() { return _mm256_setzero_ps(); }
  static T fma(T a, T b, T c) { return _mm256_fmadd_ps(a, b, c); }
  static T add(T a, T b) { return _mm256_add_ps(a, b); }
  static T sub(T a, T b) { return _mm256_sub_ps(a, b); }
  static T mul(T a, T b) { return _mm256_mul_ps(a, b); }
  static T div(T a, T b) { return _mm256_div_ps(a, b); }
  static T min(T a, T b) { return _mm256_min_ps(a, b); }
  static T max(T a, T b) { return _mm256_max_ps(a, b); }
  static T pow2(T n) {
    return _mm256_castsi256_ps(
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23));
  }
  static __m256i load_pairs(const uint16_t* pairs) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pairs));
  }
  static T bf16_even(const uint16_t* pairs) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(load_pairs(pairs), 16));
  }
  static T bf16_odd(const uint16_t* pairs) {
    return _mm256_castsi256_ps(
        _mm256_and_si256(load_pairs(pairs), _mm256_set1_epi32(int(0xffff0000u))));
  }
  static void bf16_pair(uint32_t pair, T& x0, T& x1) {
    const __m256i v = _mm256_set1_epi32(static_cast<int>(pair));
    x0 = _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
    x1 = _mm256_castsi256_ps(_mm256_and_si256(v, _mm256_set1_epi32(int(0xffff0000u))));
  }
  static T from_int8(const int8_t* q) {
    return _mm256_cvtepi32_ps(
        _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(q))));
  }
};
#elif PRNN_KERNEL_VECTOR_BITS == 128
struct V {
  using T = __m128;
  static constexpr int kLanes = 4;
  static constexpr int kLatencyAccumulators = 8;  // of 16 registers
  static constexpr int kMaxStreams = 2;
  static T load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, T v) { _mm_storeu_ps(p, v); }
  static T set1(float v) { return _mm_set1_ps(v); }
  static T zero() { return _mm_setzero_ps(); }
  static T fma(T a, T b, T c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  static T add(T a, T b) { return _mm_add_ps(a, b); }
  static T sub(T a, T b) { return _mm_sub_ps(a, b); }
  static T mul(T a, T b) { return _mm_mul_ps(a, b); }
  static T div(T a, T b) { return _mm_div_ps(a, b); }
  static T min(T a, T b) { return _mm_min_ps(a, b); }
  static T max(T a, T b) { return _mm_max_ps(a, b); }
  static T pow2(T n) {
    return _mm_castsi128_ps(
        _mm_slli_epi32(_mm_add_epi32(_mm_cvttps_epi32(n), _mm_set1_epi32(127)), 23));
  }
  static __m128i load_pairs(const uint16_t* pairs) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(pairs));
  }
  static T bf16_even(const uint16_t* pairs) {
    return _mm_castsi128_ps(_mm_slli_epi32(load_pairs(pairs), 16));
  }
  static T bf16_odd(const uint16_t* pairs) {
    return _mm_castsi128_ps(_mm_and_si128(load_pairs(pairs), _mm_set1_epi32(int(0xffff0000u))));
  }
  static void bf16_pair(uint32_t pair, T& x0, T& x1) {
    const __m128i v = _mm_set1_epi32(static_cast<int>(pair));
    x0 = _mm_castsi128_ps(_mm_slli_epi32(v, 16));
    x1 = _mm_castsi128_ps(_mm_and_si128(v, _mm_set1_epi32(int(0xffff0000u))));
  }
  static T from_int8(const int8_t* q) {  // SSE2: sign-extend by unpacking, then shifting
    int32_t bytes;
    __builtin_memcpy(&bytes, q, 4);
    __m128i v = _mm_cvtsi32_si128(bytes);
    v = _mm_unpacklo_epi8(v, v);
    v = _mm_unpacklo_epi16(v, v);
    return _mm_cvtepi32_ps(_mm_srai_epi32(v, 24));
  }
};
#else
#error "define PRNN_KERNEL_VECTOR_BITS (512, 256 or 128) before including this file"
#endif

using VT = V::T;
constexpr int L = V::kLanes;

// e^x: range reduction (rounding by adding and subtracting 1.5·2^23) and a degree-6
// polynomial, as fast_math.h; relative error about 2e-7 on [-87, 88].
inline VT exp_v(VT x) {
  x = V::min(V::max(x, V::set1(-87.0f)), V::set1(88.0f));
  const VT shifter = V::set1(12582912.0f);
  const VT n = V::sub(V::fma(x, V::set1(1.44269504f), shifter), shifter);
  VT r = V::sub(x, V::mul(n, V::set1(0.693145751953125f)));
  r = V::sub(r, V::mul(n, V::set1(1.428606765330187045e-06f)));
  VT p = V::set1(1.0f / 720);
  p = V::fma(p, r, V::set1(1.0f / 120));
  p = V::fma(p, r, V::set1(1.0f / 24));
  p = V::fma(p, r, V::set1(1.0f / 6));
  p = V::fma(p, r, V::set1(0.5f));
  p = V::fma(p, r, V::set1(1.0f));
  p = V::fma(p, r, V::set1(1.0f));
  return V::mul(p, V::pow2(n));
}

inline VT sigmoid_v(VT x) {
  const VT one = V::set1(1.0f);
  return V::div(one, V::add(one, exp_v(V::sub(V::zero(), x))));
}

// tanh(x) = 2σ(2x) − 1
inline VT tanh_v(VT x) {
  return V::sub(V::mul(V::set1(2.0f), sigmoid_v(V::mul(V::set1(2.0f), x))), V::set1(1.0f));
}

// Weight storage: how a tile reads L columns of row pair kp (even and odd row) of its
// group, and the input type.
template <WeightFormat F>
struct Storage;

template <>
struct Storage<WeightFormat::kBf16> {
  using W = uint16_t;
  using X = uint16_t;
  static constexpr bool kScaled = false;
  // `w` points at column 0 of the group's pair row (`columns` wide); `column` is the column
  // in that row.
  static void load(const W* w, int /*columns*/, int column, VT& even, VT& odd) {
    even = V::bf16_even(w + 2 * column);
    odd = V::bf16_odd(w + 2 * column);
  }
  // Inputs 2·kp and 2·kp + 1 (at `x`) broadcast as fp32.
  static void inputs(const X* x, VT& x0, VT& x1) {
    uint32_t pair;
    __builtin_memcpy(&pair, x, 4);
    V::bf16_pair(pair, x0, x1);
  }
  static void store_inputs(const float* h, int n, X* out) {
    for (int i = 0; i < n; ++i) out[i] = bf16_from_float(h[i]);
  }
};

template <>
struct Storage<WeightFormat::kFp32> {
  using W = float;
  using X = float;
  static constexpr bool kScaled = false;
  static void load(const W* w, int columns, int column, VT& even, VT& odd) {
    even = V::load(w + column);
    odd = V::load(w + columns + column);
  }
  static void inputs(const X* x, VT& x0, VT& x1) {
    x0 = V::set1(x[0]);
    x1 = V::set1(x[1]);
  }
  static void store_inputs(const float* h, int n, X* out) { __builtin_memcpy(out, h, n * 4); }
};

template <>
struct Storage<WeightFormat::kInt8> {
  using W = int8_t;
  using X = float;
  static constexpr bool kScaled = true;
  static void load(const W* w, int columns, int column, VT& even, VT& odd) {
    even = V::from_int8(w + column);
    odd = V::from_int8(w + columns + column);
  }
  static void inputs(const X* x, VT& x0, VT& x1) {
    x0 = V::set1(x[0]);
    x1 = V::set1(x[1]);
  }
  static void store_inputs(const float* h, int n, X* out) { __builtin_memcpy(out, h, n * 4); }
};

enum class Epilogue { kCell, kStore };

// NG gates of 16 columns per block (4: LSTM, 1: dense); unit groups [group, group + UG) of L
// units each, all inside one block range; NB streams.
template <WeightFormat F, int NG, int UG, int NB, Epilogue E>
void tile(const ProductArgs& a, int group) {
  using S = Storage<F>;
  constexpr int kColumns = NG * 16;
  constexpr int kGroupsPerBlock = 16 / L;
  constexpr int kGroupColumns = NG * L;  // of one pair row of a group
  const auto* w = static_cast<const typename S::W*>(a.w);
  const auto* x = static_cast<const typename S::X*>(a.x);
  const size_t group_stride = static_cast<size_t>(a.k_pairs) * 2 * kGroupColumns;
  int block[UG], column[UG];  // per group: its block and first column in the block (gate 0)
  for (int u = 0; u < UG; ++u) {
    block[u] = (group + u) / kGroupsPerBlock;
    column[u] = ((group + u) % kGroupsPerBlock) * L;
  }
  auto out_column = [&](int u, int g) { return block[u] * kColumns + g * 16 + column[u]; };
  VT acc[NB][UG][NG];
#pragma GCC unroll 32
  for (int b = 0; b < NB; ++b)
#pragma GCC unroll 32
    for (int u = 0; u < UG; ++u)
#pragma GCC unroll 32
      for (int g = 0; g < NG; ++g)
        acc[b][u][g] =
            S::kScaled ? V::zero() : V::load(a.init + b * a.init_stride + out_column(u, g));
  for (int kp = a.k_begin; kp < a.k_end; ++kp) {
    VT x0[NB], x1[NB];
#pragma GCC unroll 32
    for (int b = 0; b < NB; ++b) {
      S::inputs(x + b * a.x_stride + 2 * kp, x0[b], x1[b]);
    }
#pragma GCC unroll 32
    for (int u = 0; u < UG; ++u) {
      const auto* wk = w + (group + u) * group_stride + static_cast<size_t>(kp) * 2 * kGroupColumns;
#pragma GCC unroll 32
      for (int g = 0; g < NG; ++g) {
        VT even, odd;
        S::load(wk, kGroupColumns, g * L, even, odd);
#pragma GCC unroll 32
        for (int b = 0; b < NB; ++b) {
          acc[b][u][g] = V::fma(even, x0[b], acc[b][u][g]);
          acc[b][u][g] = V::fma(odd, x1[b], acc[b][u][g]);
        }
      }
    }
  }
  if constexpr (S::kScaled) {
#pragma GCC unroll 32
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 32
      for (int u = 0; u < UG; ++u)
#pragma GCC unroll 32
        for (int g = 0; g < NG; ++g)
          acc[b][u][g] = V::fma(acc[b][u][g], V::load(a.scale + out_column(u, g)),
                                V::load(a.init + b * a.init_stride + out_column(u, g)));
  }
#pragma GCC unroll 32
  for (int b = 0; b < NB; ++b) {
#pragma GCC unroll 32
    for (int u = 0; u < UG; ++u) {
      if constexpr (E == Epilogue::kCell) {
        const int unit = block[u] * 16 + column[u];
        float* cb = a.c + b * a.hp + unit;
        float* hb = a.h + b * a.hp + unit;
        const VT c_new = V::fma(V::load(cb), sigmoid_v(acc[b][u][2]),
                                V::mul(sigmoid_v(acc[b][u][0]), tanh_v(acc[b][u][1])));
        const VT h_new = V::mul(tanh_v(c_new), sigmoid_v(acc[b][u][3]));
        V::store(cb, c_new);
        V::store(hb, h_new);
        for (int d = 0; d < 2; ++d) {
          if (a.h_out[d] != nullptr) {
            S::store_inputs(hb, L,
                            static_cast<typename S::X*>(a.h_out[d]) + b * a.h_out_stride[d] + unit);
          }
        }
      } else {
#pragma GCC unroll 32
        for (int g = 0; g < NG; ++g)
          V::store(a.gates + b * a.gates_stride + out_column(u, g), acc[b][u][g]);
      }
    }
  }
}

// Blocks [block_begin, block_end) of NG gates: one stream with several unit groups per tile
// (independent accumulators hide the FMA latency), else tiles for up to kMaxStreams
// streams (a group's weights are read once per stream group).
template <WeightFormat F, int NG, Epilogue E>
void run_blocks(const ProductArgs& a, int block_begin, int block_end) {
  constexpr int kGroupsPerBlock = 16 / L;
  constexpr int kWide = V::kLatencyAccumulators / NG > 0 ? V::kLatencyAccumulators / NG : 1;
  int group = block_begin * kGroupsPerBlock;
  const int end = block_end * kGroupsPerBlock;
  if (a.num_streams == 1) {
    for (; group + kWide <= end; group += kWide) tile<F, NG, kWide, 1, E>(a, group);
    for (; group < end; ++group) tile<F, NG, 1, 1, E>(a, group);
    return;
  }
  // Several streams: tiles of UG groups for up to kMaxStreams streams; UG > 1 only where one
  // group's gates give too few accumulators to hide the FMA latency (the dense layer).
  constexpr int kStreamWide = std::max(1, V::kLatencyAccumulators / (NG * V::kMaxStreams));
  auto stream_tiles = [&]<int UG>(int first_group) {
    for_stream_groups<V::kMaxStreams>(a.num_streams, [&]<int NB>(int b) {
      const ProductArgs part = stream_range(a, b, NB, sizeof(typename Storage<F>::X));
      tile<F, NG, UG, NB, E>(part, first_group);
    });
  };
  for (; group + kStreamWide <= end; group += kStreamWide)
    stream_tiles.template operator()<kStreamWide>(group);
  for (; group < end; ++group) stream_tiles.template operator()<1>(group);
}

template <WeightFormat F>
void lstm_blocks(const ProductArgs& a, int begin, int end) {
  run_blocks<F, 4, Epilogue::kCell>(a, begin, end);
}
template <WeightFormat F>
void gate_blocks(const ProductArgs& a, int begin, int end) {
  run_blocks<F, 4, Epilogue::kStore>(a, begin, end);
}
template <WeightFormat F>
void dense_blocks(const ProductArgs& a, int begin, int end) {
  run_blocks<F, 1, Epilogue::kStore>(a, begin, end);
}
template <WeightFormat F>
void to_input(const float* in, int n, void* out) {
  Storage<F>::store_inputs(in, n, static_cast<typename Storage<F>::X*>(out));
}

// The layer-0 gather (step_kernels.h) in chunks of kGatherColumns columns: the sums of one
// row stay in registers while the chunk's table rows are added.
constexpr int kGatherColumns = 8 * L < 64 ? 8 * L : 64;

void gather_inputs(const GatherArgs& a, int first, int end) {
  constexpr int kVectors = kGatherColumns / L;
  for (int b = 0; b < a.rows; ++b) {
    const float* dense = a.dense + static_cast<size_t>(b) * a.dense_size;
    const int32_t* onehot = a.onehot + static_cast<size_t>(b) * a.groups;
    float* out = a.out + static_cast<size_t>(b) * a.width;
    for (int col = first; col < end; col += kGatherColumns) {
      VT acc[kVectors];
#pragma GCC unroll 16
      for (int i = 0; i < kVectors; ++i) acc[i] = V::load(a.bias + col + i * L);
      for (int d = 0; d < a.dense_size; ++d) {
        if (dense[d] == 0.0f) continue;
        const VT v = V::set1(dense[d]);
        const float* row = a.table + static_cast<size_t>(d) * a.width + col;
#pragma GCC unroll 16
        for (int i = 0; i < kVectors; ++i) acc[i] = V::fma(v, V::load(row + i * L), acc[i]);
      }
      for (int k = 0; k < a.groups; ++k) {
        if (onehot[k] < 0) continue;
        const float* row =
            a.table + static_cast<size_t>(a.group_offset[k] + onehot[k]) * a.width + col;
#pragma GCC unroll 16
        for (int i = 0; i < kVectors; ++i) acc[i] = V::add(acc[i], V::load(row + i * L));
      }
#pragma GCC unroll 16
      for (int i = 0; i < kVectors; ++i) V::store(out + col + i * L, acc[i]);
    }
  }
}

template <WeightFormat F>
constexpr StepKernels kTable = {L,           lstm_blocks<F>, gate_blocks<F>, dense_blocks<F>,
                                to_input<F>, gather_inputs};

// This translation unit's kernels for `format` (what each <isa>_step_kernels returns).
const StepKernels& kernels_for(WeightFormat format) {
  switch (format) {
    case WeightFormat::kBf16:
      return kTable<WeightFormat::kBf16>;
    case WeightFormat::kFp32:
      return kTable<WeightFormat::kFp32>;
    case WeightFormat::kInt8:
      break;
  }
  return kTable<WeightFormat::kInt8>;
}

}  // namespace
}  // namespace prnn
