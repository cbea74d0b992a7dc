// The StepKernels of step_kernels_impl.h compiled for baseline x86-64 (SSE2), no target pragma.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "generate/step_kernels.h"

#define PRNN_KERNEL_VECTOR_BITS 128
#include "generate/step_kernels_impl.h"

namespace prnn {

const StepKernels& baseline_step_kernels(WeightFormat format) {
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
