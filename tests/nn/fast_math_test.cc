// fast_exp, fast_sigmoid and fast_tanh against the C library's double-precision functions
// (an independent oracle) over their whole input range, and at the clamps and edges the
// header promises.
#include "nn/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace prnn {
namespace {

// Units in the last place between `got` and the correctly rounded float of `want`.
double ulps(float got, double want) {
  const float rounded = static_cast<float>(want);
  const double spacing =
      std::nextafter(std::fabs(rounded), std::numeric_limits<float>::infinity()) -
      std::fabs(rounded);
  return std::fabs(static_cast<double>(got) - want) / spacing;
}

TEST(FastMath, ExpWithinTwoUlpOverItsRange) {
  double worst = 0;
  for (double x = -87.0; x <= 88.0; x += 0.001953125 * 3.1) {
    const float xf = static_cast<float>(x);
    worst = std::max(worst, ulps(fast_exp(xf), std::exp(static_cast<double>(xf))));
  }
  EXPECT_LE(worst, 2.0);
}

TEST(FastMath, ExpClampsOutsideItsRange) {
  EXPECT_FLOAT_EQ(fast_exp(-1000.0f), fast_exp(-87.0f));
  EXPECT_FLOAT_EQ(fast_exp(1000.0f), fast_exp(88.0f));
  EXPECT_TRUE(std::isfinite(fast_exp(1000.0f)));
  EXPECT_GT(fast_exp(-1000.0f), 0.0f);
  EXPECT_EQ(fast_exp(0.0f), 1.0f);
}

TEST(FastMath, SigmoidMatchesTheLogisticFunction) {
  for (double x = -30.0; x <= 30.0; x += 0.0137) {
    const float xf = static_cast<float>(x);
    const double want = 1.0 / (1.0 + std::exp(-static_cast<double>(xf)));
    EXPECT_NEAR(fast_sigmoid(xf), want, 4e-7 * std::max(want, 1e-3)) << x;
  }
  EXPECT_EQ(fast_sigmoid(0.0f), 0.5f);
  EXPECT_EQ(fast_sigmoid(200.0f), 1.0f);
  EXPECT_GE(fast_sigmoid(-200.0f), 0.0f);
}

TEST(FastMath, TanhWithinAFewUlpAndOdd) {
  double worst = 0;
  for (double x = -12.0; x <= 12.0; x += 0.000977 * 1.7) {
    const float xf = static_cast<float>(x);
    if (xf == 0.0f) continue;
    worst = std::max(worst, ulps(fast_tanh(xf), std::tanh(static_cast<double>(xf))));
    EXPECT_EQ(fast_tanh(-xf), -fast_tanh(xf)) << x;
  }
  EXPECT_LE(worst, 6.0);
  // Tiny inputs: tanh(x) = x to float precision, no cancellation.
  EXPECT_EQ(fast_tanh(1e-6f), 1e-6f);
  // Large inputs saturate at exactly ±1.
  EXPECT_EQ(fast_tanh(50.0f), 1.0f);
  EXPECT_EQ(fast_tanh(-50.0f), -1.0f);
  // Both sides of the branch point 0.625 agree with tanh.
  EXPECT_NEAR(fast_tanh(0.62499f), std::tanh(0.62499), 2e-7);
  EXPECT_NEAR(fast_tanh(0.62501f), std::tanh(0.62501), 2e-7);
}

}  // namespace
}  // namespace prnn
