#include "nn/onehot_rows.h"

#include <omp.h>

#include <algorithm>

#include "nn/bf16.h"

namespace prnn {
namespace {

inline float load(const float* p, int64_t i) { return p[i]; }
inline float load(const uint16_t* p, int64_t i) { return bf16_to_float(p[i]); }

template <class Op>
void scatter(const InputLayout& layout, const Op* dz, int G, const int32_t* onehot, int64_t N,
             float* dkernel) {
  const int K = layout.num_groups();
#pragma omp parallel
  {
    const int threads = omp_get_num_threads(), id = omp_get_thread_num();
    const int c0 = G * id / threads, c1 = G * (id + 1) / threads;
    for (int64_t n = 0; n < N; ++n) {
      int row = layout.dense_size;
      for (int k = 0; k < K; ++k) {
        const int index = onehot[n * K + k];
        if (index >= 0) {
          float* d = dkernel + static_cast<int64_t>(row + index) * G;
          const Op* src = dz + n * G;
#pragma omp simd
          for (int c = c0; c < c1; ++c) d[c] += load(src, c);
        }
        row += layout.onehot_sizes[k];
      }
    }
  }
}

}  // namespace

void gather_onehot_rows(const InputLayout& layout, const float* kernel, const float* bias, int G,
                        const int32_t* onehot, int64_t N, float* gates) {
  const int K = layout.num_groups();
#pragma omp parallel for schedule(static)
  for (int64_t n = 0; n < N; ++n) {
    float* out = gates + n * G;
    std::copy(bias, bias + G, out);
    int row = layout.dense_size;
    for (int k = 0; k < K; ++k) {
      const int index = onehot[n * K + k];
      if (index >= 0) {
        const float* w = kernel + static_cast<int64_t>(row + index) * G;
#pragma omp simd
        for (int c = 0; c < G; ++c) out[c] += w[c];
      }
      row += layout.onehot_sizes[k];
    }
  }
}

void scatter_onehot_rows(const InputLayout& layout, const void* dz, ElementType dz_type, int G,
                         const int32_t* onehot, int64_t N, float* dkernel) {
  if (dz_type == ElementType::kBf16) {
    scatter(layout, static_cast<const uint16_t*>(dz), G, onehot, N, dkernel);
  } else {
    scatter(layout, static_cast<const float*>(dz), G, onehot, N, dkernel);
  }
}

}  // namespace prnn
