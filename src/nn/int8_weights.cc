#include "nn/int8_weights.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "base/error.h"

namespace prnn {

int int8_first_row(const ParamArena& layout, const TensorSpec& spec) {
  const NetworkShape& shape = layout.shape();
  if (&spec == &layout.dense_weights()) return 0;
  for (int l = 0; l < shape.num_layers(); ++l) {
    if (&spec == &layout.lstm_kernel(l)) return l == 0 ? shape.layer_input_size(0) : 0;
  }
  return -1;
}

Int8Matrix quantize_columns(std::string name, std::span<const float> w, int rows, int cols,
                            int first_row) {
  PRNN_CHECK(w.size() == static_cast<size_t>(rows) * cols && first_row >= 0 && first_row < rows);
  Int8Matrix m{std::move(name), first_row, rows, cols, {}, std::vector<float>(cols, 0.0f)};
  for (int r = first_row; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      m.scale[c] = std::max(m.scale[c], std::fabs(w[static_cast<size_t>(r) * cols + c]) / 127.0f);
  for (float& s : m.scale) s = std::max(s, FLT_MIN);
  m.q.resize(static_cast<size_t>(rows - first_row) * cols);
  for (int r = first_row; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      m.q[static_cast<size_t>(r - first_row) * cols + c] =
          static_cast<int8_t>(std::lround(w[static_cast<size_t>(r) * cols + c] / m.scale[c]));
    }
  }
  return m;
}

std::vector<Int8Matrix> quantize_for_int8(const ParamArena& params) {
  std::vector<Int8Matrix> matrices;
  for (const TensorSpec& spec : params.tensors()) {
    const int first_row = int8_first_row(params, spec);
    if (first_row >= 0)
      matrices.push_back(
          quantize_columns(spec.name, params.view(spec), spec.rows, spec.cols, first_row));
  }
  return matrices;
}

}  // namespace prnn
