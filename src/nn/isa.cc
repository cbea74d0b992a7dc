#include "nn/isa.h"

#include <cstdlib>
#include <fstream>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>

#include "base/error.h"

namespace prnn {
namespace {

constexpr Isa kLevels[] = {Isa::kBaseline, Isa::kAvx2, Isa::kAvx512, Isa::kAvx512Bf16};

std::optional<Isa> parse(const std::string& name) {
  for (Isa isa : kLevels) {
    if (name == isa_name(isa)) return isa;
  }
  return std::nullopt;
}

Isa best_isa() {
  Isa best = Isa::kBaseline;
  for (Isa isa : kLevels) {
    if (cpu_supports(isa)) best = isa;
  }
  return best;
}

std::string supported_list() {
  std::string list;
  for (Isa isa : supported_isas()) list += std::string(list.empty() ? "" : ", ") + isa_name(isa);
  return list;
}

// oneDNN at most at `isa` (ONEDNN_MAX_CPU_ISA); the best level leaves it free (it may
// use AMX where the CPU has it). oneDNN accepts this only before its first primitive.
void cap_onednn(Isa isa) {
  if (isa == best_isa()) return;
  dnnl::cpu_isa cap = dnnl::cpu_isa::sse41;
  switch (isa) {
    case Isa::kBaseline:
      cap = dnnl::cpu_isa::sse41;
      break;
    case Isa::kAvx2:
      cap = dnnl::cpu_isa::avx2;
      break;
    case Isa::kAvx512:
      cap = dnnl::cpu_isa::avx512_core;
      break;
    case Isa::kAvx512Bf16:
      cap = dnnl::cpu_isa::avx512_core_bf16;
      break;
  }
  try {
    dnnl::set_max_cpu_isa(cap);
  } catch (const dnnl::error&) {
    // Already fixed by an earlier selection or primitive (tests switch levels within one
    // process); oneDNN then stays where it is.
  }
}

std::optional<Isa>& current() {
  static std::optional<Isa> isa;
  return isa;
}

Isa select_checked(const std::string& request, const std::string& source) {
  std::optional<Isa> isa = parse(request);
  if (!isa) {
    throw UsageError(source + "=" + request +
                     ": unknown instruction-set level; one of auto, baseline, avx2, avx512, "
                     "avx512_bf16 (this CPU supports " +
                     supported_list() + ")");
  }
  if (!cpu_supports(*isa)) {
    throw UsageError(source + "=" + request + ": this CPU lacks " + isa_name(*isa) +
                     "; it supports " + supported_list());
  }
  current() = *isa;
  cap_onednn(*isa);
  return *isa;
}

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kBaseline:
      return "baseline";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx512Bf16:
      return "avx512_bf16";
  }
  return "?";
}

bool cpu_supports(Isa isa) {
  switch (isa) {
    case Isa::kBaseline:
      return true;
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kAvx512:
      return cpu_supports(Isa::kAvx2) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl");
    case Isa::kAvx512Bf16:
      return cpu_supports(Isa::kAvx512) && __builtin_cpu_supports("avx512bf16");
  }
  return false;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> levels;
  for (Isa isa : kLevels) {
    if (cpu_supports(isa)) levels.push_back(isa);
  }
  return levels;
}

Isa selected_isa() {
  if (!current()) select_isa("auto");
  return *current();
}

Isa select_isa(const std::string& request, const std::string& source) {
  if (request != "auto") return select_checked(request, source);
  const char* env = std::getenv("PRNN_ISA");
  if (env != nullptr && *env != '\0' && std::string(env) != "auto") {
    return select_checked(env, "PRNN_ISA");
  }
  current() = best_isa();
  return *current();
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
  }
  return "unknown CPU";
}

const char* isa_flag_help() {
  return "kernels' instruction-set level: auto (PRNN_ISA if set, else the best this CPU has), "
         "avx512_bf16, avx512, avx2 or baseline; oneDNN is capped at the same level";
}

}  // namespace prnn
