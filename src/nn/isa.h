// The x86-64 instruction-set level the compute kernels run at, chosen once per process.
//
// Levels, lowest first: baseline (x86-64 SSE2), avx2 (AVX2 + FMA), avx512 (AVX-512
// F/BW/DQ/VL), avx512_bf16 (avx512 plus AVX512-BF16). The selected level defaults to the
// best this CPU has; the environment variable PRNN_ISA (for tests and scripts) and the
// commands' --isa flag override it. Selecting a level also caps oneDNN at the same level
// (its ONEDNN_MAX_CPU_ISA), so no kernel of the process uses more. Selection must happen
// before the first oneDNN primitive is created (commands do it right after parsing flags).
#pragma once

#include <string>
#include <vector>

namespace prnn {

enum class Isa { kBaseline, kAvx2, kAvx512, kAvx512Bf16 };

const char* isa_name(Isa isa);
// True when this CPU can run `isa`'s kernels.
bool cpu_supports(Isa isa);
// Every level this CPU supports, lowest first (always starts with baseline).
std::vector<Isa> supported_isas();

// The level kernels run at: the last select_isa(), else PRNN_ISA, else the best level.
// Throws UsageError when PRNN_ISA names an unknown or unsupported level.
Isa selected_isa();

// Selects the level from a request: "auto" (PRNN_ISA if set, else the best level) or a
// level name. Throws UsageError naming the flag (`source`), the request and the levels
// this CPU supports when the name is unknown or the CPU lacks the level. Returns it.
Isa select_isa(const std::string& request, const std::string& source = "--isa");

// This CPU's model name (/proc/cpuinfo), or "unknown CPU".
std::string cpu_model_name();

// The help text of the --isa flag.
const char* isa_flag_help();

}  // namespace prnn
