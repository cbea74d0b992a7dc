// Clipping and Adam against closed-form expectations, and at every instruction-set level
// this CPU supports against scalar computations written here.
#include "nn/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernel_paths.h"
#include "network_test_util.h"

namespace prnn {
namespace {

// Two tensors small enough to reason about: kernel [2+1, 4], bias [1, 4], weights [1, 2],
// biases [1, 2].
NetworkShape tiny() { return {{2, {}}, {1}, {2}}; }

TEST(ClipGradients, PerTensorClipsEachTensorToTheNormSeparately) {
  ParamArena g(tiny());
  g.view(g.lstm_kernel(0))[0] = 30;  // norm 50 -> scaled to norm 3
  g.view(g.lstm_kernel(0))[1] = 40;
  g.view(g.lstm_bias(0))[0] = 1;  // norm 1 -> untouched
  g.view(g.dense_weights())[1] = -6;
  double global = clip_gradients(g, 3.0f, ClipMode::kPerTensor);
  EXPECT_NEAR(global, std::sqrt(2500.0 + 1 + 36), 1e-9);
  EXPECT_FLOAT_EQ(g.view(g.lstm_kernel(0))[0], 1.8f);
  EXPECT_FLOAT_EQ(g.view(g.lstm_kernel(0))[1], 2.4f);
  EXPECT_FLOAT_EQ(g.view(g.lstm_bias(0))[0], 1.0f);
  EXPECT_FLOAT_EQ(g.view(g.dense_weights())[1], -3.0f);
}

TEST(ClipGradients, GlobalNormScalesAllTensorsTogether) {
  ParamArena g(tiny());
  g.view(g.lstm_kernel(0))[0] = 3;
  g.view(g.dense_weights())[0] = 4;
  clip_gradients(g, 1.0f, ClipMode::kGlobalNorm);
  EXPECT_FLOAT_EQ(g.view(g.lstm_kernel(0))[0], 0.6f);
  EXPECT_FLOAT_EQ(g.view(g.dense_weights())[0], 0.8f);
}

TEST(Adam, FirstStepMovesEveryWeightByTheLearningRateAgainstTheGradientSign) {
  ParamArena w(tiny()), g(tiny());
  for (size_t i = 0; i < g.values.size(); ++i) g.values[i] = (i % 2 ? 1.0f : -1.0f) * (i + 1);
  AdamOptimizer adam(w, {});
  adam.step(w, g);
  for (size_t i = 0; i < w.values.size(); ++i) {
    EXPECT_NEAR(w.values[i], (i % 2 ? -0.001 : 0.001), 1e-8) << i;
  }
  EXPECT_EQ(adam.steps, 1);
}

TEST(Adam, SecondStepFollowsTensorFlowsBiasCorrection) {
  // g1 = 1, g2 = 3 on a single weight: m = 0.39, v = 0.0099910, lr_t = lr*sqrt(1-0.999^2)/(1-0.81)
  ParamArena w(tiny()), g(tiny());
  AdamOptimizer adam(w, {});
  g.values[0] = 1;
  adam.step(w, g);
  g.values[0] = 3;
  adam.step(w, g);
  const double m = 0.9 * 0.1 + 0.1 * 3, v = 0.999 * 0.001 + 0.001 * 9;
  const double lr_t = 0.001 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
  EXPECT_NEAR(w.values[0], -0.001 - lr_t * m / (std::sqrt(v) + 1e-8), 1e-8);
}

// Tensors whose sizes are no multiple of a vector width (kernel 15 × 28, bias 28, weights
// 7 × 5, biases 5), and a network large enough to be split between threads.
std::vector<NetworkShape> odd_shapes() {
  return {{{3, {5}}, {7}, {5}}, {{0, {37}}, {45, 29}, {37}}};
}

TEST(Adam, EveryLevelComputesTheScalarUpdateExactly) {
  const AdamOptions options{.learning_rate = 0.01f, .beta1 = 0.8f, .beta2 = 0.99f};
  for (const NetworkShape& shape : odd_shapes()) {
    for (Isa isa : supported_isas()) {
      SCOPED_TRACE(isa_name(isa));
      ParamArena w = testing::random_params(shape, 1);
      AdamOptimizer adam(w, options);
      const size_t n = w.values.size();
      std::vector<float> w1 = w.values, m1(n, 0.0f), v1(n, 0.0f);  // float, same order
      std::vector<double> w2(w.values.begin(), w.values.end()), m2(n, 0.0), v2(n, 0.0);
      for (int t = 1; t <= 3; ++t) {
        const ParamArena g = testing::random_params(shape, 10 + t, 2.0f);
        {
          ScopedIsa scoped(isa);
          adam.step(w, g);
        }
        const double lr_t =
            options.learning_rate * std::sqrt(1 - std::pow(0.99f, t)) / (1 - std::pow(0.8f, t));
        const float b1 = options.beta1, b2 = options.beta2, eps = options.epsilon;
        for (size_t i = 0; i < n; ++i) {
          const float gi = g.values[i];
          m1[i] = b1 * m1[i] + (1.0f - b1) * gi;
          v1[i] = b2 * v1[i] + (1.0f - b2) * gi * gi;
          w1[i] -= static_cast<float>(lr_t) * m1[i] / (std::sqrt(v1[i]) + eps);
          m2[i] = double{b1} * m2[i] + (1 - double{b1}) * gi;
          v2[i] = double{b2} * v2[i] + (1 - double{b2}) * gi * gi;
          w2[i] -= lr_t * m2[i] / (std::sqrt(v2[i]) + eps);
        }
      }
      int mismatches = 0;
      for (size_t i = 0; i < n; ++i) {
        mismatches +=
            w.values[i] != w1[i] || adam.m.values[i] != m1[i] || adam.v.values[i] != v1[i];
        // Each step moves a weight by at most about lr_t; float keeps it to ~1e-7 of that.
        ASSERT_NEAR(w.values[i], w2[i], 1e-6) << i;
      }
      EXPECT_EQ(mismatches, 0) << "of " << n << " elements";
    }
  }
}

// The gradients of `shape`, scaled so that some tensors' norms are above 1 and some below.
ParamArena mixed_norm_gradients(const NetworkShape& shape) {
  ParamArena g = testing::random_params(shape, 5);
  for (size_t k = 0; k < g.tensors().size(); ++k) {
    for (float& x : g.view(g.tensors()[k])) x *= k % 2 ? 0.01f : 1.0f;
  }
  return g;
}

TEST(ClipGradients, EveryLevelMatchesADoubleComputation) {
  for (const NetworkShape& shape : odd_shapes()) {
    for (ClipMode mode : {ClipMode::kPerTensor, ClipMode::kGlobalNorm}) {
      for (Isa isa : supported_isas()) {
        SCOPED_TRACE(std::string(isa_name(isa)) +
                     (mode == ClipMode::kPerTensor ? " per tensor" : " global"));
        ParamArena g = mixed_norm_gradients(shape);
        const ParamArena original = g;
        std::vector<double> norms;
        double global = 0;
        for (const TensorSpec& t : g.tensors()) {
          double sum = 0;
          for (float x : g.view(t)) sum += double{x} * x;
          norms.push_back(std::sqrt(sum));
          global += sum;
        }
        global = std::sqrt(global);
        const float clip_norm = 1.0f;
        ASSERT_GT(global, clip_norm);
        double returned;
        {
          ScopedIsa scoped(isa);
          returned = clip_gradients(g, clip_norm, mode);
        }
        // Summation order differs between levels and from this loop: relative 1e-12.
        EXPECT_NEAR(returned, global, 1e-12 * global);
        for (size_t k = 0; k < g.tensors().size(); ++k) {
          const TensorSpec& t = g.tensors()[k];
          const double norm = mode == ClipMode::kPerTensor ? norms[k] : global;
          const double factor = norm > clip_norm ? clip_norm / norm : 1.0;
          const auto in = original.view(t);
          const auto out = g.view(t);
          for (size_t i = 0; i < in.size(); ++i) {
            ASSERT_NEAR(out[i], in[i] * factor, 1e-6 * std::abs(in[i] * factor))
                << t.name << " " << i;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace prnn
