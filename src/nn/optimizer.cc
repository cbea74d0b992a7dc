#include "nn/optimizer.h"

#include <cmath>

#include "base/error.h"
#include "nn/per_isa.h"
#include "nn/thread_range.h"

namespace prnn {
namespace {

// Chunk kernels, compiled per instruction set (nn/per_isa.h) and called by each thread of
// the parallel regions below on its own range.

[[gnu::always_inline]] inline double sum_of_squares_chunk_body(const float* x, int64_t n) {
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  return sum;
}

[[gnu::always_inline]] inline void scale_chunk_body(float* x, int64_t n, float factor) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) x[i] *= factor;
}

// One Adam update of elements [begin, end) (the formula of optimizer.h, in float; this
// file is compiled without FMA contraction, so every level rounds as the baseline does).
struct AdamChunk {
  float* w;
  const float* g;
  float* m;
  float* v;
  float b1, b2, eps, lr_t;
};

[[gnu::always_inline]] inline void adam_chunk_body(const AdamChunk& a, int64_t begin, int64_t end) {
  float* __restrict w = a.w;
  const float* __restrict g = a.g;
  float* __restrict m = a.m;
  float* __restrict v = a.v;
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    m[i] = a.b1 * m[i] + (1.0f - a.b1) * g[i];
    v[i] = a.b2 * v[i] + (1.0f - a.b2) * g[i] * g[i];
    w[i] -= a.lr_t * m[i] / (std::sqrt(v[i]) + a.eps);
  }
}

PRNN_PER_ISA(double, sum_of_squares_chunk, (const float* x, int64_t n), (x, n))
PRNN_PER_ISA(void, scale_chunk, (float* x, int64_t n, float factor), (x, n, factor))
PRNN_PER_ISA(void, adam_chunk, (const AdamChunk& a, int64_t begin, int64_t end), (a, begin, end))

double sum_of_squares(std::span<const float> x) {
  const int64_t n = static_cast<int64_t>(x.size());
  double sum = 0;
#pragma omp parallel reduction(+ : sum)
  {
    const ItemRange r = thread_range(n, kFloatsPerLine);
    if (r.begin < r.end) sum += sum_of_squares_chunk(x.data() + r.begin, r.end - r.begin);
  }
  return sum;
}

void scale(std::span<float> x, float factor) {
  parallel_chunks(static_cast<int64_t>(x.size()), kFloatsPerLine, [&](int64_t begin, int64_t end) {
    scale_chunk(x.data() + begin, end - begin, factor);
  });
}

}  // namespace

double clip_gradients(ParamArena& grads, float clip_norm, ClipMode mode) {
  double global = 0;
  std::vector<double> norms;
  norms.reserve(grads.tensors().size());
  for (const TensorSpec& t : grads.tensors()) {
    norms.push_back(std::sqrt(sum_of_squares(grads.view(t))));
    global += norms.back() * norms.back();
  }
  global = std::sqrt(global);
  if (clip_norm <= 0) return global;
  if (mode == ClipMode::kGlobalNorm) {
    if (global > clip_norm) scale(grads.values, static_cast<float>(clip_norm / global));
    return global;
  }
  // tf.clip_by_norm: t * clip_norm / max(l2norm(t), clip_norm), per tensor.
  for (size_t k = 0; k < norms.size(); ++k) {
    if (norms[k] > clip_norm) {
      scale(grads.view(grads.tensors()[k]), static_cast<float>(clip_norm / norms[k]));
    }
  }
  return global;
}

AdamOptimizer::AdamOptimizer(const ParamArena& params, const AdamOptions& options)
    : m(params.shape()), v(params.shape()), options_(options) {}

void AdamOptimizer::step(ParamArena& params, const ParamArena& grads) {
  PRNN_CHECK(params.values.size() == m.values.size());
  PRNN_CHECK(grads.values.size() == m.values.size());
  ++steps;
  const double t = static_cast<double>(steps);
  const float b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon;
  const float lr_t =
      static_cast<float>(options_.learning_rate * std::sqrt(1.0 - std::pow(double{b2}, t)) /
                         (1.0 - std::pow(double{b1}, t)));
  const AdamChunk chunk{.w = params.values.data(),
                        .g = grads.values.data(),
                        .m = m.values.data(),
                        .v = v.values.data(),
                        .b1 = b1,
                        .b2 = b2,
                        .eps = eps,
                        .lr_t = lr_t};
  parallel_chunks(static_cast<int64_t>(params.values.size()), kFloatsPerLine,
                  [&](int64_t begin, int64_t end) { adam_chunk(chunk, begin, end); });
}

}  // namespace prnn
