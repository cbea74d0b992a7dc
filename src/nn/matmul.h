// One matrix product C (M×N, fp32) = A (M×K) · B (K×N) [+ bias] [+ C], executed by a
// oneDNN matmul primitive created once (init) and run many times without allocation.
//
// Operands are described by MatrixView: the LOGICAL matrix (rows × cols) and how it sits
// in memory: row-major with leading dimension `ld`, or `transposed` (memory holds the
// logical matrix's transpose, row-major with leading dimension `ld`). Element type fp32
// or bf16 (A and B must agree; C is always fp32).
//
// With `packed_b`, B is owned by the Matmul in the layout the primitive prefers
// (oneDNN "any"), filled by pack_b() from fp32 weights (converted to the operand type):
// for small-M products run every time step against the same weights.
//
// Thread safety: none; run() uses both cores through oneDNN's OpenMP runtime.
// Failure: oneDNN errors (unsupported shapes, out of memory) throw dnnl::error.
#pragma once

#include <cstdint>
#include <memory>

namespace prnn {

enum class ElementType { kF32, kBf16 };

struct MatrixView {
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t ld = 0;  // 0 = dense (cols, or rows when transposed)
  bool transposed = false;
  ElementType type = ElementType::kF32;
};

struct MatmulOptions {
  bool accumulate = false;  // C += A·B (oneDNN sum post-op) instead of C = A·B
  bool with_bias = false;   // + bias (N, fp32) broadcast over rows
  bool packed_b = false;
  int64_t ldc = 0;  // 0 = N
};

class Matmul {
 public:
  Matmul();
  ~Matmul();
  Matmul(Matmul&&) noexcept;
  Matmul& operator=(Matmul&&) noexcept;

  // (Re)creates the primitive unless it already matches exactly. REQUIRES: a.cols == b.rows.
  void init(const MatrixView& a, const MatrixView& b, const MatmulOptions& options);
  bool initialized() const;

  // Converts fp32 weights `source` (the logical B, laid out as described by `view`: same
  // rows/cols as init's b, type ignored) into the packed operand. REQUIRES: packed_b.
  void pack_b(const float* source, const MatrixView& view);

  // b is ignored (may be null) when packed_b.
  void run(const void* a, const void* b, float* c, const float* bias = nullptr);

  // oneDNN's implementation name (for the benchmark's report).
  const char* implementation() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Rounds fp32 to bfloat16 (round to nearest even), n values, parallel. Used to prepare
// weights and inputs for bf16 products.
void convert_to_bf16(const float* source, uint16_t* destination, int64_t n);

}  // namespace prnn
