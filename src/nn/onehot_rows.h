// The first layer's one-hot input as row operations on its kernel (never a product with a
// materialised one-hot vector). Kernel rows are laid out as in param_arena.h: dense rows
// first, then each group's classes. Index −1 = the group is all zero at that position.
// Letters (doc/design.md): N positions, O groups, G = 4H kernel columns. Parallel over OpenMP threads.
#pragma once

#include <cstdint>

#include "performance/input_layout.h"
#include "nn/matmul.h"

namespace prnn {

// gates (N, G) = bias (G) + Σ_o kernel[row of onehot(n, o)].  onehot is (N, O).
void gather_onehot_rows(const InputLayout& layout, const float* kernel, const float* bias, int G,
                        const int32_t* onehot, int64_t N, float* gates);

// dkernel[row of onehot(n, k)] += dz[n] for every n, k. dz is (N, G) of `dz_type`.
// Deterministic: each thread owns a range of columns.
void scatter_onehot_rows(const InputLayout& layout, const void* dz, ElementType dz_type, int G,
                         const int32_t* onehot, int64_t N, float* dkernel);

}  // namespace prnn
