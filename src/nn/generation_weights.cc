#include "nn/generation_weights.h"

#include <algorithm>
#include <cstring>

#include "base/error.h"
#include "nn/bf16.h"

namespace prnn {
namespace {

constexpr int kBlock = GenerationWeights::kBlock;

int round_up(int n, int m) { return (n + m - 1) / m * m; }

// Packed column (block, gate, lane) of 4Hp ↔ Magenta column gate·H + unit, or -1 (padding).
int magenta_column(int packed_column, int hidden) {
  int block = packed_column / 64, gate = (packed_column % 64) / kBlock,
      lane = packed_column % kBlock;
  int unit = block * kBlock + lane;
  return unit < hidden ? gate * hidden + unit : -1;
}

// A (rows × blocks·C) matrix in packed column order, value(row, column) (for int8 the q),
// in `format`'s layout for groups of group_width units (step_kernels.h) with k_pairs =
// rows / 2 row pairs.
template <typename Value>
std::vector<uint8_t> pack_matrix(WeightFormat format, int group_width, int rows, int blocks,
                                 int columns, Value value) {
  const int k_pairs = rows / 2, total = blocks * columns;
  std::vector<uint8_t> packed(static_cast<size_t>(rows) * total * weight_bytes(format), 0);
  for (int r = 0; r < rows; ++r) {
    for (int col = 0; col < total; ++col) {
      const float w = value(r, col);
      if (w == 0.0f) continue;
      const size_t index = packed_index(format, group_width, col / columns, k_pairs, columns, r / 2,
                                        r % 2, col % columns);
      switch (format) {
        case WeightFormat::kBf16: {
          const uint16_t v = bf16_from_float(w);
          std::memcpy(&packed[index * 2], &v, 2);
          break;
        }
        case WeightFormat::kFp32:
          std::memcpy(&packed[index * 4], &w, 4);
          break;
        case WeightFormat::kInt8:
          packed[index] = static_cast<uint8_t>(static_cast<int8_t>(w));
          break;
      }
    }
  }
  return packed;
}

// The int8 form of arena tensor `spec` for int8 weights (the stored one of that name when
// there is one, else quantized now, int8_weights.h), or an empty matrix for other formats.
Int8Matrix int8_form(WeightFormat format, const ParamArena& params, const TensorSpec& spec,
                     std::span<const Int8Matrix> stored) {
  if (format != WeightFormat::kInt8) return {};
  const int first_row = int8_first_row(params, spec);
  for (const Int8Matrix& m : stored) {
    if (m.name != spec.name) continue;
    PRNN_CHECK(m.first_row == first_row && m.rows == spec.rows && m.cols == spec.cols);
    return m;
  }
  return quantize_columns(spec.name, params.view(spec), spec.rows, spec.cols, first_row);
}

// Weight (row, column) of `spec` as the packed matrix holds it: its q when `int8` is not
// empty, else its value.
float packed_value(const ParamArena& params, const TensorSpec& spec, const Int8Matrix& int8,
                   int row, int column) {
  if (int8.q.empty()) return params.view(spec)[static_cast<size_t>(row) * spec.cols + column];
  return int8.q[static_cast<size_t>(row - int8.first_row) * spec.cols + column];
}

// The scales of packed columns [0, packed) for int8 (column_of(packed column): the
// matrix column, or -1 for padding, scale 0); empty for other formats.
template <typename ColumnOf>
std::vector<float> packed_scales(const Int8Matrix& int8, int packed, ColumnOf column_of) {
  std::vector<float> scale;
  if (int8.q.empty()) return scale;
  scale.assign(packed, 0.0f);
  for (int col = 0; col < packed; ++col) {
    if (const int column = column_of(col); column >= 0) scale[col] = int8.scale[column];
  }
  return scale;
}

}  // namespace

NetworkKernels NetworkKernels::fast(WeightFormat weights) {
  return {false, selected_isa(), weights};
}

std::string NetworkKernels::name() const {
  return std::string(reference ? "reference" : isa_name(isa)) + "/" + weight_format_name(weights);
}

GenerationWeights::GenerationWeights(const ParamArena& params, NetworkKernels kernels_in,
                                     std::span<const Int8Matrix> stored_int8, float forget_bias_in)
    : shape(params.shape()), kernels(kernels_in), forget_bias(forget_bias_in) {
  const int group_width =
      kernels.reference ? 0 : step_kernels(kernels.isa, kernels.weights).group_width;
  for (int k = 0, offset = shape.input.dense_size; k < shape.input.num_groups(); ++k) {
    group_offset.push_back(offset);
    offset += shape.input.onehot_sizes[k];
  }
  const int num_layers = shape.num_layers();
  layers.resize(num_layers);
  for (int l = 0; l < num_layers; ++l) {
    Layer& layer = layers[l];
    const int hidden = shape.layer_sizes[l];
    const int inputs = shape.layer_input_size(l);
    layer.hidden = hidden;
    layer.padded = round_up(hidden, kBlock);
    const int below = l == 0 ? 0 : layers[l - 1].padded;
    layer.rows = below + layer.padded;
    std::span<const float> kernel = params.view(params.lstm_kernel(l));
    std::span<const float> bias = params.view(params.lstm_bias(l));
    const int gates = 4 * hidden, packed_gates = 4 * layer.padded;
    if (kernels.reference) {
      layer.kernel.assign(kernel.begin(), kernel.end());
      layer.bias.assign(bias.begin(), bias.end());
      continue;
    }
    // Product row r → Magenta kernel row, or -1 for a padding row.
    auto kernel_row = [&](int r) {
      if (l > 0 && r < below) return r < layers[l - 1].hidden ? r : -1;
      int unit = r - below;
      return unit < hidden ? inputs + unit : -1;
    };
    auto weight = [&](int row, int column) {
      return row < 0 || column < 0 ? 0.0f : kernel[static_cast<size_t>(row) * gates + column];
    };
    std::vector<int> columns(packed_gates);
    for (int col = 0; col < packed_gates; ++col) columns[col] = magenta_column(col, hidden);
    const TensorSpec& spec = params.lstm_kernel(l);
    const Int8Matrix int8 = int8_form(kernels.weights, params, spec, stored_int8);
    layer.scale = packed_scales(int8, packed_gates, [&](int col) { return columns[col]; });
    layer.packed = pack_matrix(
        kernels.weights, group_width, layer.rows, layer.padded / kBlock, 64, [&](int r, int col) {
          const int row = kernel_row(r), column = columns[col];
          return row < 0 || column < 0 ? 0.0f : packed_value(params, spec, int8, row, column);
        });
    layer.gate_bias.assign(packed_gates, 0.0f);
    for (int col = 0; col < packed_gates; ++col) {
      int column = magenta_column(col, hidden);
      if (column >= 0)
        layer.gate_bias[col] = bias[column] + (column / hidden == 2 ? forget_bias : 0);
    }
    if (l == 0) {
      layer.input_rows.assign(static_cast<size_t>(inputs) * packed_gates, 0.0f);
      for (int r = 0; r < inputs; ++r)
        for (int col = 0; col < packed_gates; ++col)
          layer.input_rows[static_cast<size_t>(r) * packed_gates + col] =
              weight(r, magenta_column(col, hidden));
    }
  }

  const int top = shape.top_size(), vocab = shape.num_logits();
  std::span<const float> weights = params.view(params.dense_weights());
  std::span<const float> biases = params.view(params.dense_biases());
  if (kernels.reference) {
    out_weights.assign(weights.begin(), weights.end());
    out_bias.assign(biases.begin(), biases.end());
    return;
  }
  const int top_padded = layers.back().padded;
  padded_logits = round_up(vocab, kBlock);
  out_bias.assign(padded_logits, 0.0f);
  std::copy(biases.begin(), biases.end(), out_bias.begin());
  const Int8Matrix int8 = int8_form(kernels.weights, params, params.dense_weights(), stored_int8);
  out_scale = packed_scales(int8, padded_logits, [&](int col) { return col < vocab ? col : -1; });
  out_packed =
      pack_matrix(kernels.weights, group_width, top_padded, padded_logits / kBlock, kBlock,
                  [&](int row, int column) {
                    return row < top && column < vocab
                               ? packed_value(params, params.dense_weights(), int8, row, column)
                               : 0.0f;
                  });
}

size_t GenerationWeights::bytes() const {
  size_t total = 0;
  for (const Layer& layer : layers) {
    total += layer.packed.size() + (layer.input_rows.size() + layer.scale.size()) * 4 +
             layer.kernel.size() * 4;
  }
  return total + out_packed.size() + (out_scale.size() + out_weights.size()) * 4;
}

}  // namespace prnn
