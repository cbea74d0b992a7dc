// Overlapping area of kernel density estimates against known answers.
#include "quality/kde_overlap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace prnn {
namespace {

std::vector<double> uniform_grid(double from, double to, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(from + (to - from) * (i + 0.5) / n);
  return out;
}

TEST(KdeOverlap, IdenticalSamplesOverlapCompletely) {
  std::vector<double> a = {1.0, 2.5, 2.7, 4.0, 9.0};
  EXPECT_NEAR(kde_overlap(a, a), 1.0, 1e-4);
}

TEST(KdeOverlap, DisjointSamplesHardlyOverlap) {
  EXPECT_LT(kde_overlap(uniform_grid(0, 1, 50), uniform_grid(100, 101, 50)), 1e-6);
}

TEST(KdeOverlap, HalfShiftedUniformsOverlapByHalf) {
  // U(0,1) against U(0.5,1.5): the densities share half their mass; the kernels' blur of
  // the edges is symmetric and cancels.
  EXPECT_NEAR(kde_overlap(uniform_grid(0, 1, 2000), uniform_grid(0.5, 1.5, 2000)), 0.5, 0.01);
}

TEST(KdeOverlap, ConstantSamplesAndMissingValues) {
  std::vector<double> five = {5, 5, 5}, six = {6, 6, 6};
  EXPECT_DOUBLE_EQ(kde_overlap(five, five), 1.0);
  EXPECT_LT(kde_overlap(five, six), 1e-6);
  std::vector<double> with_nan = {1, 2, NAN, 3};
  std::vector<double> without = {1, 2, 3};
  EXPECT_DOUBLE_EQ(kde_overlap(with_nan, without), kde_overlap(without, without));
  std::vector<double> none = {NAN};
  EXPECT_TRUE(std::isnan(kde_overlap(none, without)));
}

}  // namespace
}  // namespace prnn
