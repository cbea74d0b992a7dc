#include "nn/onehot_rows.h"

#include <algorithm>

#include "nn/bf16.h"
#include "nn/per_isa.h"
#include "nn/thread_range.h"

namespace prnn {
namespace {

inline float load(const float* p, int64_t i) { return p[i]; }
inline float load(const uint16_t* p, int64_t i) { return bf16_to_float(p[i]); }

// The operands of one gather or scatter.
struct OnehotRows {
  const InputLayout& layout;
  int G;
  const int32_t* onehot;
  int64_t N;
};

// Chunk kernels, compiled per instruction set (nn/per_isa.h) and called by each thread of
// the parallel regions below on its own range.

// Positions [n0, n1) of the gather.
[[gnu::always_inline]] inline void gather_chunk_body(const OnehotRows& a, const float* kernel,
                                                     const float* bias, float* gates, int64_t n0,
                                                     int64_t n1) {
  const int K = a.layout.num_groups(), G = a.G;
  for (int64_t n = n0; n < n1; ++n) {
    float* out = gates + n * G;
    std::copy(bias, bias + G, out);
    int row = a.layout.dense_size;
    for (int k = 0; k < K; ++k) {
      const int index = a.onehot[n * K + k];
      if (index >= 0) {
        const float* w = kernel + static_cast<int64_t>(row + index) * G;
#pragma omp simd
        for (int c = 0; c < G; ++c) out[c] += w[c];
      }
      row += a.layout.onehot_sizes[k];
    }
  }
}

// Columns [c0, c1) of the scatter, over every position in order.
template <class Op>
[[gnu::always_inline]] inline void scatter_chunk(const OnehotRows& a, const Op* dz, float* dkernel,
                                                 int64_t c0, int64_t c1) {
  const int K = a.layout.num_groups(), G = a.G;
  for (int64_t n = 0; n < a.N; ++n) {
    int row = a.layout.dense_size;
    for (int k = 0; k < K; ++k) {
      const int index = a.onehot[n * K + k];
      if (index >= 0) {
        float* d = dkernel + static_cast<int64_t>(row + index) * G;
        const Op* src = dz + n * G;
#pragma omp simd
        for (int64_t c = c0; c < c1; ++c) d[c] += load(src, c);
      }
      row += a.layout.onehot_sizes[k];
    }
  }
}

[[gnu::always_inline]] inline void scatter_f32_body(const OnehotRows& a, const float* dz,
                                                    float* dkernel, int64_t c0, int64_t c1) {
  scatter_chunk(a, dz, dkernel, c0, c1);
}
[[gnu::always_inline]] inline void scatter_bf16_body(const OnehotRows& a, const uint16_t* dz,
                                                     float* dkernel, int64_t c0, int64_t c1) {
  scatter_chunk(a, dz, dkernel, c0, c1);
}

PRNN_PER_ISA(void, gather_chunk,
             (const OnehotRows& a, const float* kernel, const float* bias, float* gates, int64_t n0,
              int64_t n1),
             (a, kernel, bias, gates, n0, n1))
PRNN_PER_ISA(void, scatter_f32,
             (const OnehotRows& a, const float* dz, float* dkernel, int64_t c0, int64_t c1),
             (a, dz, dkernel, c0, c1))
PRNN_PER_ISA(void, scatter_bf16,
             (const OnehotRows& a, const uint16_t* dz, float* dkernel, int64_t c0, int64_t c1),
             (a, dz, dkernel, c0, c1))

}  // namespace

void gather_onehot_rows(const InputLayout& layout, const float* kernel, const float* bias, int G,
                        const int32_t* onehot, int64_t N, float* gates) {
  const OnehotRows a{layout, G, onehot, N};
  parallel_chunks(N, 1,
                  [&](int64_t n0, int64_t n1) { gather_chunk(a, kernel, bias, gates, n0, n1); });
}

void scatter_onehot_rows(const InputLayout& layout, const void* dz, ElementType dz_type, int G,
                         const int32_t* onehot, int64_t N, float* dkernel) {
  const OnehotRows a{layout, G, onehot, N};
  // Each thread owns a range of columns: deterministic, no two threads write one element.
  parallel_chunks(G, kFloatsPerLine, [&](int64_t c0, int64_t c1) {
    if (dz_type == ElementType::kBf16) {
      scatter_bf16(a, static_cast<const uint16_t*>(dz), dkernel, c0, c1);
    } else {
      scatter_f32(a, static_cast<const float*>(dz), dkernel, c0, c1);
    }
  });
}

}  // namespace prnn
