#include "nn/optimizer.h"

#include <cmath>

#include "base/error.h"

namespace prnn {
namespace {

double sum_of_squares(std::span<const float> x) {
  double sum = 0;
#pragma omp parallel for simd reduction(+ : sum) schedule(static)
  for (size_t i = 0; i < x.size(); ++i) sum += static_cast<double>(x[i]) * x[i];
  return sum;
}

void scale(std::span<float> x, float factor) {
#pragma omp parallel for simd schedule(static)
  for (size_t i = 0; i < x.size(); ++i) x[i] *= factor;
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
  float* w = params.values.data();
  const float* g = grads.values.data();
  float* mm = m.values.data();
  float* vv = v.values.data();
  const size_t n = params.values.size();
#pragma omp parallel for simd schedule(static)
  for (size_t i = 0; i < n; ++i) {
    mm[i] = b1 * mm[i] + (1.0f - b1) * g[i];
    vv[i] = b2 * vv[i] + (1.0f - b2) * g[i] * g[i];
    w[i] -= lr_t * mm[i] / (std::sqrt(vv[i]) + eps);
  }
}

}  // namespace prnn
