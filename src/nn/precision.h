// Arithmetic precision of the network's matrix products.
//
// kFp32: every product in fp32. kBf16: product operands rounded to bfloat16, fp32
// accumulation and fp32 outputs; master weights, optimizer state and all pointwise math
// stay fp32. kAuto resolves at run time to kBf16 when the CPU has native bf16 dot products
// (AVX512-BF16 or AMX, as oneDNN reports them) and to kFp32 elsewhere.
#pragma once

#include <string>

namespace prnn {

enum class Precision { kAuto, kFp32, kBf16 };

// Parses "auto", "fp32" or "bf16"; anything else is a UsageError naming the flag value.
Precision parse_precision(const std::string& text);
const char* precision_name(Precision precision);

// kAuto -> kBf16 or kFp32 for this CPU; kBf16 on a CPU without bf16 support is a
// UsageError (asking for it explicitly cannot silently fall back); kFp32 stays.
Precision resolve_precision(Precision requested);
bool cpu_has_native_bf16();

}  // namespace prnn
