// How a model file stores int8 weights (doc/formats/checkpoint.md, "Int8 weights"). A
// weight W that has an int8 form (nn/int8_weights.h) is written as these tensors instead
// of W:
//   W/int8                 I8   [rows - first_row, cols]  q of the quantized rows
//   W/int8_scale           F32  [cols]                    one scale per column, finite, > 0
//   W/full_precision_rows  F32  [first_row, cols]         the rows before first_row, only
//                                                         when there are any
// Reading puts W back, dequantized (row r ≥ first_row: scale[c] · q[r][c]), beside its
// Int8Matrix. Plain functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "model/checkpoint.h"
#include "nn/int8_weights.h"

namespace prnn {

// A tensor as a file stores it: its values (integers for I8) and its dtype.
struct FileTensor {
  NamedTensor tensor;
  TensorStorage storage = TensorStorage::kF32;
};

// True for the names of the tensors above (W/int8, W/int8_scale, W/full_precision_rows).
bool is_int8_part(const std::string& name);

// The file's tensors for `weight` in its int8 form `matrix`. REQUIRES: matrix names weight
// and matches its 2-D shape.
std::vector<FileTensor> int8_file_tensors(const NamedTensor& weight, const Int8Matrix& matrix);

// The int8 weights of a file from its tensors with is_int8_part names (`parts`, as read):
// appends each weight W, dequantized, to `weights` and returns the Int8Matrix of each.
// Throws InputError naming `path`, the tensor and what is wrong: W/int8 missing beside its
// other parts or W itself beside W/int8; a missing scale table; a dtype other than I8 for
// W/int8 or F32 for W/int8_scale; a shape that is not 2-D or does not fit the others; a
// scale that is not finite or not > 0; a q of -128.
std::vector<Int8Matrix> read_int8_weights(std::vector<FileTensor> parts,
                                          std::vector<NamedTensor>& weights,
                                          const std::string& path);

}  // namespace prnn
