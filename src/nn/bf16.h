// bfloat16 storage: the upper 16 bits of an IEEE fp32, rounded to nearest even. Plain
// inline functions so OpenMP simd loops vectorise them.
#pragma once

#include <bit>
#include <cstdint>

namespace prnn {

inline uint16_t bf16_from_float(float x) {
  const uint32_t bits = std::bit_cast<uint32_t>(x);
  return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

inline float bf16_to_float(uint16_t x) { return std::bit_cast<float>(uint32_t{x} << 16); }

}  // namespace prnn
