// bfloat16 storage, the one conversion of the project (training kernels, generation
// kernels, checkpoint files): the upper 16 bits of an IEEE fp32, rounded to nearest even;
// a NaN stays a (quiet) NaN instead of carrying into the exponent. Plain inline functions,
// branch-free, so OpenMP simd loops vectorise them.
//
// The per-ISA generation kernels (step_kernels_*.cc) must see this header before their
// `#pragma GCC target` (it comes through nn/step_kernels.h): an inline function first
// defined under a target pragma would be compiled for that ISA in their translation unit,
// and the linker could keep that copy for everyone.
#pragma once
#define PRNN_NN_BF16_H

#include <bit>
#include <cstdint>

namespace prnn {

inline uint16_t bf16_from_float(float x) {
  const uint32_t bits = std::bit_cast<uint32_t>(x);
  const uint32_t rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
  const uint32_t quiet_nan = (bits >> 16) | 0x40u;
  return static_cast<uint16_t>((bits & 0x7fffffffu) > 0x7f800000u ? quiet_nan : rounded);
}

inline float bf16_to_float(uint16_t x) { return std::bit_cast<float>(uint32_t{x} << 16); }

}  // namespace prnn
