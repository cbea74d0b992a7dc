// Vectorisable fp32 exp, sigmoid and tanh for the pointwise kernels (OpenMP simd loops).
// exp: Cody-Waite range reduction and a degree-6 polynomial, within 2 ulp over
// [-87, 88]; inputs are clamped to that range. tanh: an odd polynomial near 0 (no
// cancellation) and 1 - 2/(e^2x + 1) elsewhere; within a few ulp. Plain inline code.
#pragma once

#include <bit>
#include <cstdint>

namespace prnn {

inline float fast_exp(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  // Round to nearest even by adding and subtracting 1.5·2^23 (|x·log2 e| < 2^22 here):
  // unlike roundevenf, the compilers vectorise this.
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = x - n * 0.693145751953125f;   // ln2 high part
  r = r - n * 1.428606765330187045e-06f;  // ln2 low part
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t e = static_cast<int32_t>(n) + 127;
  return p * std::bit_cast<float>(e << 23);
}

inline float fast_sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

inline float fast_tanh(float x) {
  const float ax = x < 0 ? -x : x;
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = x + x * z * p;
  const float big = 1.0f - 2.0f / (fast_exp(2.0f * ax) + 1.0f);
  const float signed_big = x < 0 ? -big : big;
  return ax < 0.625f ? small : signed_big;
}

}  // namespace prnn
