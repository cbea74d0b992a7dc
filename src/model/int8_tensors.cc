#include "model/int8_tensors.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <map>

#include "base/error.h"

namespace prnn {
namespace {

const std::string kQ = "/int8", kScale = "/int8_scale", kFullRows = "/full_precision_rows";

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

// The parts of one weight, by role.
struct Parts {
  const FileTensor* q = nullptr;
  const FileTensor* scale = nullptr;
  const FileTensor* full_rows = nullptr;
};

}  // namespace

bool is_int8_part(const std::string& name) {
  for (const std::string& suffix : {kQ, kScale, kFullRows}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) return true;
  }
  return false;
}

std::vector<FileTensor> int8_file_tensors(const NamedTensor& weight, const Int8Matrix& matrix) {
  PRNN_CHECK(matrix.name == weight.name && weight.shape.size() == 2 &&
             weight.shape[0] == matrix.rows && weight.shape[1] == matrix.cols);
  const int64_t cols = matrix.cols, head = static_cast<int64_t>(matrix.first_row) * cols;
  std::vector<FileTensor> tensors;
  if (matrix.first_row > 0) {
    tensors.push_back({{weight.name + kFullRows,
                        {matrix.first_row, cols},
                        {weight.values.begin(), weight.values.begin() + head}},
                       TensorStorage::kF32});
  }
  tensors.push_back(
      {{weight.name + kQ, {matrix.quantized_rows(), cols}, {matrix.q.begin(), matrix.q.end()}},
       TensorStorage::kI8});
  tensors.push_back({{weight.name + kScale, {cols}, matrix.scale}, TensorStorage::kF32});
  return tensors;
}

std::vector<Int8Matrix> read_int8_weights(std::vector<FileTensor> parts,
                                          std::vector<NamedTensor>& weights,
                                          const std::string& path) {
  std::map<std::string, Parts> by_weight;
  for (const FileTensor& part : parts) {
    const std::string& name = part.tensor.name;
    for (const auto& [suffix, slot] : {std::pair(&kQ, &Parts::q), std::pair(&kScale, &Parts::scale),
                                       std::pair(&kFullRows, &Parts::full_rows)}) {
      if (name.ends_with(*suffix)) {
        by_weight[name.substr(0, name.size() - suffix->size())].*slot = &part;
        break;
      }
    }
  }
  std::vector<Int8Matrix> matrices;
  for (const auto& entry : by_weight) {
    // (Not a structured binding: clang 14, which builds the fuzzers, cannot capture one.)
    const std::string& weight = entry.first;
    const Parts& part = entry.second;
    auto fail = [&](const std::string& tensor, const std::string& what) {
      return InputError(path + ": int8 tensor \"" + weight + tensor + "\": " + what);
    };
    if (part.q == nullptr) {
      throw fail(part.scale ? kScale : kFullRows,
                 "there is no \"" + weight + kQ + "\" (the int8 weights it belongs to)");
    }
    for (const NamedTensor& other : weights) {
      if (other.name == weight) throw fail(kQ, "the file also holds \"" + weight + "\" itself");
    }
    const NamedTensor& q = part.q->tensor;
    if (part.q->storage != TensorStorage::kI8) throw fail(kQ, "dtype is not I8");
    if (q.shape.size() != 2 || q.shape[0] < 1 || q.shape[1] < 1 || q.shape[0] > INT_MAX / 2 ||
        q.shape[1] > INT_MAX) {
      throw fail(kQ, "shape " + shape_text(q.shape) + " is not [rows, columns]");
    }
    const int64_t cols = q.shape[1];
    if (part.scale == nullptr) {
      throw fail(kQ, "the scale table \"" + weight + kScale + "\" is missing");
    }
    const NamedTensor& scale = part.scale->tensor;
    if (part.scale->storage != TensorStorage::kF32) throw fail(kScale, "dtype is not F32");
    if (scale.shape != std::vector<int64_t>{cols}) {
      throw fail(kScale, "shape " + shape_text(scale.shape) + " but " + weight + kQ + " has " +
                             std::to_string(cols) + " columns: one scale per column, [" +
                             std::to_string(cols) + "]");
    }
    for (int64_t c = 0; c < cols; ++c) {
      if (!std::isfinite(scale.values[c]) || !(scale.values[c] > 0.0f)) {
        char value[32];
        std::snprintf(value, sizeof value, "%.9g", scale.values[c]);
        throw fail(kScale, "the scale of column " + std::to_string(c) + " is " + value +
                               ": scales must be finite and > 0");
      }
    }
    int64_t first_row = 0;
    if (part.full_rows != nullptr) {
      const FileTensor& full = *part.full_rows;
      if (full.storage == TensorStorage::kI8 || full.tensor.shape.size() != 2 ||
          full.tensor.shape[0] < 1 || full.tensor.shape[0] > INT_MAX / 2 ||
          full.tensor.shape[1] != cols) {
        throw fail(kFullRows, "dtype I8 or shape " + shape_text(full.tensor.shape) +
                                  ": must be a float [rows, " + std::to_string(cols) + "]");
      }
      first_row = full.tensor.shape[0];
    }
    Int8Matrix m{weight,
                 static_cast<int>(first_row),
                 static_cast<int>(first_row + q.shape[0]),
                 static_cast<int>(cols),
                 std::vector<int8_t>(q.values.size()),
                 scale.values};
    NamedTensor dequantized{weight, {m.rows, cols}, {}};
    dequantized.values.reserve(static_cast<size_t>(m.rows) * cols);
    if (part.full_rows != nullptr) {
      const std::vector<float>& full = part.full_rows->tensor.values;
      dequantized.values.insert(dequantized.values.end(), full.begin(), full.end());
    }
    for (size_t i = 0; i < q.values.size(); ++i) {
      if (q.values[i] < -127.0f) {
        throw fail(kQ, "q of row " + std::to_string(i / cols) + ", column " +
                           std::to_string(i % cols) + " is -128: int8 weights lie in [-127, 127]");
      }
      m.q[i] = static_cast<int8_t>(q.values[i]);
      dequantized.values.push_back(static_cast<float>(m.q[i]) * m.scale[i % cols]);
    }
    weights.push_back(std::move(dequantized));
    matrices.push_back(std::move(m));
  }
  return matrices;
}

}  // namespace prnn
