// The StepKernels of step_kernels_impl.h compiled for AVX2 with FMA.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "generate/step_kernels.h"

#pragma GCC target("avx2,fma")
#define PRNN_KERNEL_VECTOR_BITS 256
#include "generate/step_kernels_impl.h"

namespace prnn {

const StepKernels& avx2_step_kernels(WeightFormat format) {
  switch (format) {
    case WeightFormat::kBf16:
      return kTable<WeightFormat::kBf16>;
    case WeightFormat::kFp32:
      return kTable<WeightFormat::kFp32>;
    case WeightFormat::kInt8:
      break;
  }
  return kTable<WeightFormat::kInt8>;
}

}  // namespace prnn
