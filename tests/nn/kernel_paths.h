// Every fast kernel path (instruction-set level × weight storage) as a test parameter; a
// test on a path this CPU lacks skips, naming the missing feature.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "nn/generation_network.h"

namespace prnn {

inline std::vector<NetworkKernels> all_kernel_paths() {
  std::vector<NetworkKernels> paths;
  for (Isa isa : {Isa::kAvx512Bf16, Isa::kAvx512, Isa::kAvx2, Isa::kBaseline})
    for (WeightFormat weights : {WeightFormat::kBf16, WeightFormat::kFp32, WeightFormat::kInt8})
      paths.push_back({false, isa, weights});
  return paths;
}

inline std::string kernel_path_name(const testing::TestParamInfo<NetworkKernels>& info) {
  return std::string(isa_name(info.param.isa)) + "_" + weight_format_name(info.param.weights);
}

// gtest prints a path by its name ("avx2/bf16") instead of its bytes.
inline void PrintTo(const NetworkKernels& kernels, std::ostream* out) { *out << kernels.name(); }

// The CPU features a level needs, for skip messages.
inline const char* isa_features(Isa isa) {
  switch (isa) {
    case Isa::kAvx512Bf16:
      return "AVX512-BF16";
    case Isa::kAvx512:
      return "AVX-512 (F, BW, DQ, VL)";
    case Isa::kAvx2:
      return "AVX2 and FMA";
    case Isa::kBaseline:
      break;
  }
  return "x86-64";
}

#define PRNN_SKIP_UNLESS_CPU_HAS(isa) \
  if (!cpu_supports(isa)) GTEST_SKIP() << "this CPU lacks " << isa_features(isa)

}  // namespace prnn
