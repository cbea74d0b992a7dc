// The StepKernels of step_kernels_impl.h compiled for baseline x86-64 (SSE2), no target pragma.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "nn/step_kernels.h"

#define PRNN_KERNEL_VECTOR_BITS 128
#include "nn/step_kernels_impl.h"

namespace prnn {

const StepKernels& baseline_step_kernels(WeightFormat format) { return kernels_for(format); }

}  // namespace prnn
