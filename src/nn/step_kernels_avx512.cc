// The StepKernels of step_kernels_impl.h compiled for AVX-512 (F/BW/DQ/VL) with FMA.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "nn/step_kernels.h"

#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,fma")
// GCC 12's AVX-512 headers trip these on their own _mm512_undefined_* helpers.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define PRNN_KERNEL_VECTOR_BITS 512
#include "nn/step_kernels_impl.h"

namespace prnn {

const StepKernels& avx512_step_kernels(WeightFormat format) { return kernels_for(format); }

void avx512_gather_inputs(const GatherArgs& args, int first, int end) {
  gather_inputs(args, first, end);
}

}  // namespace prnn
