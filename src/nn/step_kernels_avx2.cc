// The StepKernels of step_kernels_impl.h compiled for AVX2 with FMA.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "nn/step_kernels.h"

#pragma GCC target("avx2,fma")
#define PRNN_KERNEL_VECTOR_BITS 256
#include "nn/step_kernels_impl.h"

namespace prnn {

const StepKernels& avx2_step_kernels(WeightFormat format) { return kernels_for(format); }

}  // namespace prnn
