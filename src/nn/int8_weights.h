// Int8 weights with one fp32 scale per column: what the generation network's int8 kernels
// run (step_kernels.h) and what an int8 model file stores (doc/formats/checkpoint.md).
//
// Which matrices: int8 generation quantizes the rows its products read. Those are every
// LSTM kernel (layer 0's only from its recurrent rows on: its input rows, dense and one-hot,
// stay fp32 and are gathered, not multiplied) and the dense weights; biases stay fp32.
//
// How: rows [first_row, rows) of a (rows, cols) matrix w, per column c,
//   scale[c] = max(max over those rows of |w[r][c]| / 127, FLT_MIN)
//   q[r][c]  = w[r][c] / scale[c] rounded to the nearest integer (halves away from zero)
// so q lies in [-127, 127], w ≈ scale[c] · q[r][c] within scale[c] / 2, and a column of zeros
// gets the scale FLT_MIN (its q are 0), never 0. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/param_arena.h"

namespace prnn {

// The int8 form of one weight matrix.
struct Int8Matrix {
  std::string name;   // the weight it quantizes (an arena tensor's name)
  int first_row = 0;  // rows before it are not quantized
  int rows = 0;       // the whole weight's rows
  int cols = 0;
  std::vector<int8_t> q;     // (rows - first_row, cols), row-major
  std::vector<float> scale;  // (cols), each finite and > 0

  int quantized_rows() const { return rows - first_row; }
  // scale · q of a quantized row. REQUIRES: first_row <= row < rows.
  float dequantized(int row, int col) const {
    return static_cast<float>(q[static_cast<size_t>(row - first_row) * cols + col]) * scale[col];
  }
};

// The first row int8 generation quantizes of arena tensor `spec` of `layout`, or -1 for a
// tensor it keeps in fp32 (the biases).
int int8_first_row(const ParamArena& layout, const TensorSpec& spec);

// Rows [first_row, rows) of the row-major (rows, cols) matrix `w`, quantized as above.
// REQUIRES: w.size() == rows · cols, 0 <= first_row < rows.
Int8Matrix quantize_columns(std::string name, std::span<const float> w, int rows, int cols,
                            int first_row);

// Every matrix int8 generation quantizes, from the values of `params`, in arena order.
std::vector<Int8Matrix> quantize_for_int8(const ParamArena& params);

}  // namespace prnn
