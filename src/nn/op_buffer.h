// A growable buffer of matrix-product operands in fp32 or bf16 (ElementType), addressed
// by element index. Owns its storage; resize() allocates only when growing and zeroes.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/matmul.h"

namespace prnn {

class OpBuffer {
 public:
  explicit OpBuffer(ElementType type = ElementType::kF32) : type_(type) {}
  void set_type(ElementType type) { type_ = type; }
  ElementType type() const { return type_; }
  // At least `count` elements; contents zero after growth, kept otherwise.
  void resize(int64_t count) {
    const int64_t words = type_ == ElementType::kBf16 ? (count + 1) / 2 : count;
    if (static_cast<int64_t>(storage_.size()) < words) storage_.assign(words, 0.0f);
  }
  void* at(int64_t index) {
    return reinterpret_cast<char*>(storage_.data()) + index * element_bytes();
  }
  const void* at(int64_t index) const {
    return reinterpret_cast<const char*>(storage_.data()) + index * element_bytes();
  }
  int64_t element_bytes() const { return type_ == ElementType::kBf16 ? 2 : 4; }

 private:
  ElementType type_;
  std::vector<float> storage_;
};

}  // namespace prnn
