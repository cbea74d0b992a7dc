// Reads a TensorFlow V1 checkpoint (the single-file SavedTensorSlices table Magenta puts
// inside its .mag bundles) into named float tensors.
//
// Supported: every tensor saved whole (one full slice, as Magenta always writes), of type
// float, double, half or an integer type (all converted to float). Everything else is
// refused with an InputError naming `source` and the problem: a bad magic or CRC, a
// compressed block, an unknown or non-numeric type, a partitioned (partial) slice, a value
// count that does not match the shape, a tensor listed in the metadata without data, data
// for an unlisted tensor, or a key that does not match its entry. Allocation is bounded by
// the size of the input. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/checkpoint.h"

namespace prnn {

// The tensors in key (name) order.
std::vector<NamedTensor> read_v1_checkpoint(std::string_view bytes, const std::string& source);

}  // namespace prnn
