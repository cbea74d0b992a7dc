// Clipping and Adam against closed-form expectations.
#include "nn/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace prnn
