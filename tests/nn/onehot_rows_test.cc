// The layer-0 one-hot gather and gradient scatter at every instruction-set level this CPU
// supports, against float sums written here in the order the contract implies (bias, then
// groups in order; positions in order): additions only, so they must match to the bit.
#include "nn/onehot_rows.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernel_paths.h"
#include "nn/bf16.h"

namespace prnn {
namespace {

struct Operands {
  InputLayout layout;
  int G = 0;
  int64_t N = 0;
  std::vector<int32_t> onehot;  // (N, groups), −1 = group off
  std::vector<float> kernel;    // (rows, G)
  std::vector<float> bias;      // (G)
  std::vector<float> dz;        // (N, G)
};

// Two one-hot groups after 3 dense rows; G = 37 columns (no multiple of a vector width),
// N positions with some groups off and repeated classes.
Operands random_operands(int G, int64_t N, uint32_t seed) {
  Operands a;
  a.layout = {3, {5, 7}};
  a.G = G;
  a.N = N;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  for (int64_t n = 0; n < N; ++n) {
    for (int size : a.layout.onehot_sizes) {
      a.onehot.push_back(std::uniform_int_distribution<int>(-1, size - 1)(rng));
    }
  }
  a.kernel.resize(static_cast<size_t>(a.layout.input_size()) * G);
  for (float& x : a.kernel) x = unit(rng);
  a.bias.resize(G);
  for (float& x : a.bias) x = unit(rng);
  a.dz.resize(static_cast<size_t>(N) * G);
  for (float& x : a.dz) x = unit(rng);
  return a;
}

// The kernel row of group k's class at position n, or −1.
int kernel_row(const Operands& a, int64_t n, int k) {
  const int index = a.onehot[n * a.layout.num_groups() + k];
  if (index < 0) return -1;
  int row = a.layout.dense_size;
  for (int j = 0; j < k; ++j) row += a.layout.onehot_sizes[j];
  return row + index;
}

class OnehotRows : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override { PRNN_SKIP_UNLESS_CPU_HAS(GetParam()); }
};

TEST_P(OnehotRows, GatherAddsTheRowsOfEachPositionsClassesToTheBias) {
  for (int G : {37, 64, 4}) {
    const Operands a = random_operands(G, 101, 3);
    std::vector<float> gates(a.N * G, -99.0f);
    {
      ScopedIsa scoped(GetParam());
      gather_onehot_rows(a.layout, a.kernel.data(), a.bias.data(), G, a.onehot.data(), a.N,
                         gates.data());
    }
    int mismatches = 0;
    for (int64_t n = 0; n < a.N; ++n) {
      for (int c = 0; c < G; ++c) {
        float expected = a.bias[c];  // float sums in group order, as any correct kernel
        for (int k = 0; k < a.layout.num_groups(); ++k) {
          const int row = kernel_row(a, n, k);
          if (row >= 0) expected += a.kernel[static_cast<size_t>(row) * G + c];
        }
        mismatches += gates[n * G + c] != expected;
      }
    }
    EXPECT_EQ(mismatches, 0) << "G = " << G;
  }
}

// dkernel starts from `initial` (the scatter adds); rows of no class stay as they were.
std::vector<float> expected_scatter(const Operands& a, const std::vector<float>& dz,
                                    const std::vector<float>& initial) {
  std::vector<float> d = initial;
  for (int64_t n = 0; n < a.N; ++n) {
    for (int k = 0; k < a.layout.num_groups(); ++k) {
      const int row = kernel_row(a, n, k);
      if (row < 0) continue;
      for (int c = 0; c < a.G; ++c) d[static_cast<size_t>(row) * a.G + c] += dz[n * a.G + c];
    }
  }
  return d;
}

TEST_P(OnehotRows, ScatterAddsEachPositionsGradientToItsClassesRows) {
  for (int G : {37, 64, 4}) {
    const Operands a = random_operands(G, 101, 4);
    const std::vector<float> initial = a.kernel;  // any start: the scatter accumulates
    // fp32 gradients, and bf16 ones (rounded here; the kernel widens them back exactly).
    std::vector<uint16_t> dz16(a.dz.size());
    std::vector<float> dz16_wide(a.dz.size());
    for (size_t i = 0; i < a.dz.size(); ++i) {
      dz16[i] = bf16_from_float(a.dz[i]);
      dz16_wide[i] = bf16_to_float(dz16[i]);
    }
    std::vector<float> d32 = initial, d16 = initial;
    {
      ScopedIsa scoped(GetParam());
      scatter_onehot_rows(a.layout, a.dz.data(), ElementType::kF32, G, a.onehot.data(), a.N,
                          d32.data());
      scatter_onehot_rows(a.layout, dz16.data(), ElementType::kBf16, G, a.onehot.data(), a.N,
                          d16.data());
    }
    EXPECT_EQ(d32, expected_scatter(a, a.dz, initial)) << "fp32, G = " << G;
    EXPECT_EQ(d16, expected_scatter(a, dz16_wide, initial)) << "bf16, G = " << G;
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, OnehotRows, ::testing::ValuesIn(all_isas()), isa_param_name);

}  // namespace
}  // namespace prnn
