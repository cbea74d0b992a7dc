#include "nn/precision.h"

#include <oneapi/dnnl/dnnl.hpp>

#include "base/error.h"
#include "nn/isa.h"

namespace prnn {

Precision parse_precision(const std::string& text) {
  if (text == "auto") return Precision::kAuto;
  if (text == "fp32") return Precision::kFp32;
  if (text == "bf16") return Precision::kBf16;
  throw UsageError("--precision: '" + text + "' is not one of auto, fp32, bf16");
}

const char* precision_name(Precision precision) {
  switch (precision) {
    case Precision::kAuto:
      return "auto";
    case Precision::kFp32:
      return "fp32";
    case Precision::kBf16:
      return "bf16";
  }
  return "?";
}

bool cpu_has_native_bf16() {
  selected_isa();  // the process's level (--isa, PRNN_ISA) caps oneDNN before it is asked
  // oneDNN's view honours that cap (and ONEDNN_MAX_CPU_ISA), so a run can be forced onto fp32.
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

Precision resolve_precision(Precision requested) {
  switch (requested) {
    case Precision::kAuto:
      return cpu_has_native_bf16() ? Precision::kBf16 : Precision::kFp32;
    case Precision::kBf16:
      if (!cpu_has_native_bf16()) {
        throw UsageError(
            "--precision=bf16: this CPU has neither AVX512-BF16 nor AMX; use fp32 or auto");
      }
      return Precision::kBf16;
    case Precision::kFp32:
      return Precision::kFp32;
  }
  return Precision::kFp32;
}

}  // namespace prnn
