// Pads encoded examples into one time-major Batch (nn/batch.h): T = the longest
// example, padding positions hold dense 0, one-hot index −1 and label −1.
// Reuses `out`'s buffers (no allocation once they are large enough). Thread-compatible.
#pragma once

#include <span>

#include "nn/batch.h"
#include "performance/encoder.h"

namespace prnn {

// REQUIRES: every example has layout's dense/one-hot widths and num_heads labels per step.
void build_batch(std::span<const EncodedExample> examples, const InputLayout& layout, int num_heads,
                 Batch& out);

}  // namespace prnn
