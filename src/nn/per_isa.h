// A kernel compiled for three instruction-set levels and called at the one the process
// selected (nn/isa.h: --isa / PRNN_ISA), instead of target_clones, which picks from the CPU
// alone. PRNN_PER_ISA(ret, name, params, args) defines name_v4 (x86-64-v4: AVX-512),
// name_v3 (x86-64-v3: AVX2, FMA) and name_v1 (baseline), each inlining name_body (which
// must be [[gnu::always_inline]]) so its loops vectorise for that level, and `name`, which
// calls the variant of selected_isa(). Kernels called inside an OpenMP region must be such
// functions: GCC outlines a region's body into a function compiled for the baseline.
#pragma once

#include "nn/isa.h"

#define PRNN_PER_ISA(ret, name, params, args)                                         \
  [[gnu::target("arch=x86-64-v4")]] ret name##_v4 params { return name##_body args; } \
  [[gnu::target("arch=x86-64-v3")]] ret name##_v3 params { return name##_body args; } \
  ret name##_v1 params { return name##_body args; }                                   \
  ret name params {                                                                   \
    switch (::prnn::selected_isa()) {                                                 \
      case ::prnn::Isa::kAvx512Bf16:                                                  \
      case ::prnn::Isa::kAvx512:                                                      \
        return name##_v4 args;                                                        \
      case ::prnn::Isa::kAvx2:                                                        \
        return name##_v3 args;                                                        \
      case ::prnn::Isa::kBaseline:                                                    \
        break;                                                                        \
    }                                                                                 \
    return name##_v1 args;                                                            \
  }
