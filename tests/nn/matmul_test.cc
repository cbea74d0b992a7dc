// convert_to_bf16 at every instruction-set level this CPU supports, against round to
// nearest even computed here from the two neighbouring bfloat16 values in double.
#include "nn/matmul.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>
#include <vector>

#include "kernel_paths.h"

namespace prnn {
namespace {

bool is_bf16_nan(uint16_t x) { return (x & 0x7f80) == 0x7f80 && (x & 0x7f) != 0; }

// The bfloat16 nearest to finite x (ties to the even one), as bits. Candidates: x with its
// low 16 bits cleared (toward zero) and the next bfloat16 away from zero, whose magnitude
// is 2^128 when that is past the largest finite value (rounding there gives infinity).
uint16_t nearest_bf16(float x) {
  const uint32_t toward_zero = std::bit_cast<uint32_t>(x) & 0xffff0000u;
  const uint32_t away = toward_zero + 0x10000u;
  const double low = std::bit_cast<float>(toward_zero);
  const double high = (away & 0x7f800000u) == 0x7f800000u ? std::copysign(std::ldexp(1.0, 128), x)
                                                          : double{std::bit_cast<float>(away)};
  const double below = std::abs(double{x} - low), above = std::abs(high - double{x});
  const bool up = above < below || (above == below && ((toward_zero >> 16) & 1u));
  return static_cast<uint16_t>((up ? away : toward_zero) >> 16);
}

std::vector<float> test_values(size_t n) {
  std::vector<float> x = {0.0f,
                          -0.0f,
                          1.0f,
                          std::bit_cast<float>(0x3f808000u),  // tie, toward zero is even
                          std::bit_cast<float>(0x3f818000u),  // tie, toward zero is odd
                          std::bit_cast<float>(0xbf818000u),
                          std::bit_cast<float>(0x3f808001u),
                          std::bit_cast<float>(0x00000001u),  // subnormals
                          std::bit_cast<float>(0x00018000u),
                          std::bit_cast<float>(0x807fffffu),
                          std::bit_cast<float>(0x7f7fffffu),  // largest: rounds to infinity
                          std::bit_cast<float>(0x7f7f7fffu),
                          INFINITY,
                          -INFINITY,
                          NAN,
                          std::bit_cast<float>(0x7f800001u),  // signalling NaN, low bits only
                          std::bit_cast<float>(0xffffffffu)};
  std::mt19937 rng(17);
  while (x.size() < n) x.push_back(std::bit_cast<float>(static_cast<uint32_t>(rng())));
  x.resize(n);
  return x;
}

class ConvertToBf16 : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override { PRNN_SKIP_UNLESS_CPU_HAS(GetParam()); }
};

TEST_P(ConvertToBf16, RoundsEveryValueToNearestEvenAndKeepsNaNs) {
  for (size_t n : {size_t{17}, size_t{31}, size_t{100003}}) {
    const std::vector<float> x = test_values(n);
    std::vector<uint16_t> out(n, 0xdead);
    {
      ScopedIsa scoped(GetParam());
      convert_to_bf16(x.data(), out.data(), static_cast<int64_t>(n));
    }
    int mismatches = 0;
    for (size_t i = 0; i < n; ++i) {
      const bool sign_kept = (out[i] >> 15) == (std::bit_cast<uint32_t>(x[i]) >> 31);
      const bool right =
          std::isnan(x[i]) ? is_bf16_nan(out[i]) && sign_kept : out[i] == nearest_bf16(x[i]);
      if (!right && mismatches++ == 0) {
        ADD_FAILURE() << "first mismatch at " << i << ": " << std::hexfloat << x[i] << " -> "
                      << std::hex << out[i];
      }
    }
    EXPECT_EQ(mismatches, 0) << "n = " << n;
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, ConvertToBf16, ::testing::ValuesIn(all_isas()), isa_param_name);

}  // namespace
}  // namespace prnn
