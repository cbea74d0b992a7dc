// Every fast kernel path (instruction-set level × weight storage) as a test parameter; a
// test on a path this CPU lacks skips, naming the missing feature.
#pragma once

#include <gtest/gtest.h>

#include <oneapi/dnnl/dnnl.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "nn/generation_network.h"

namespace prnn {

// Every instruction-set level, best first, as a test parameter (named by isa_param_name).
inline std::vector<Isa> all_isas() {
  return {Isa::kAvx512Bf16, Isa::kAvx512, Isa::kAvx2, Isa::kBaseline};
}

inline std::string isa_param_name(const ::testing::TestParamInfo<Isa>& info) {
  return isa_name(info.param);
}

inline std::vector<NetworkKernels> all_kernel_paths() {
  std::vector<NetworkKernels> paths;
  for (Isa isa : all_isas())
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

// Runs the per-ISA kernels of nn/per_isa.h (the trainer's) at `isa` while in scope, then at
// the level selected before. oneDNN is first fixed at its own level, so that selecting a
// lower one here does not cap the products of the rest of the test process.
class ScopedIsa {
 public:
  explicit ScopedIsa(Isa isa) : previous_(selected_isa()) {
    (void)dnnl::get_effective_cpu_isa();
    select_isa(isa_name(isa));
  }
  ~ScopedIsa() { select_isa(isa_name(previous_)); }
  ScopedIsa(const ScopedIsa&) = delete;
  ScopedIsa& operator=(const ScopedIsa&) = delete;

 private:
  Isa previous_;
};

}  // namespace prnn
