// Multi-head sampling (the note encoding's scheme): one class per head from its own tempered
// softmax, the event's log-probability the sum over heads; probabilities written by hand.
#include "generate/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace prnn {
namespace {

TEST(Sampler, HeadsAreSampledIndependentlyWithTemperature) {
  // Head 0: logits [0, ln 9] at temperature 2 → p ∝ [1, 3] = [1/4, 3/4].
  // Head 1: logits [0, 0, ln 16] at temperature 2 → p ∝ [1, 1, 4] = [1/6, 1/6, 2/3].
  const std::vector<float> logits = {0.0f, std::log(9.0f), 0.0f, 0.0f, std::log(16.0f)};
  const std::vector<int> heads = {2, 3};
  const double p0[] = {0.25, 0.75}, p1[] = {1.0 / 6, 1.0 / 6, 2.0 / 3};
  StreamRng rng(1);
  std::vector<float> scratch(3);
  std::vector<int> classes(2);
  std::vector<int> counts(6, 0);
  const int draws = 30000;
  for (int i = 0; i < draws; ++i) {
    const double log_prob = sample_heads(logits, heads, 2.0, rng, scratch, classes);
    ASSERT_NEAR(log_prob, std::log(p0[classes[0]]) + std::log(p1[classes[1]]), 1e-6);
    ++counts[classes[0] * 3 + classes[1]];
  }
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 3; ++b) {
      EXPECT_NEAR(counts[a * 3 + b] / static_cast<double>(draws), p0[a] * p1[b], 0.012)
          << a << "," << b;
    }
  }
  const std::vector<int> chosen = {1, 2};
  EXPECT_NEAR(log_softmax_heads(logits, heads, 2.0, chosen), std::log(0.75 * 2.0 / 3), 1e-6);
}

TEST(Sampler, OneHeadDrawsWhatSampleLogitsDraws) {
  const std::vector<float> logits = {0.3f, -1.0f, 2.0f, 0.5f};
  const std::vector<int> heads = {4};
  StreamRng a(9), b(9);
  std::vector<float> scratch(4);
  std::vector<int> classes(1);
  for (int i = 0; i < 100; ++i) {
    const double log_prob = sample_heads(logits, heads, 0.7, a, scratch, classes);
    const Sample sample = sample_logits(logits, 0.7, b, scratch);
    EXPECT_EQ(classes[0], sample.index);
    EXPECT_DOUBLE_EQ(log_prob, sample.log_prob);
  }
}

}  // namespace
}  // namespace prnn
