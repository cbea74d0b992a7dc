// The pointwise part of one TensorFlow BasicLSTMCell time step, fused and vectorised,
// forward and backward, for B rows of H units. The matrix products around it are the
// caller's (training_step.cc, inference.cc). Gate order in every 4H-wide row: i, j, f, o.
//
// Operand buffers (h, output, dz) are fp32 or bf16 (`op_type`): they feed the next
// products. State and gate buffers are fp32. The forward splits units between the OpenMP
// threads; the backward splits rows and adds the threads' bias sums in thread order.
#pragma once

#include <cstdint>

#include "nn/dropout.h"
#include "nn/matmul.h"

namespace prnn {

struct CellForward {
  int batch = 0;                  // B
  int hidden = 0;                 // H
  float* gates = nullptr;         // (B, 4H) in: pre-activations z (bias included);
                                  // out: σ(i), tanh(j), σ(f + 1), σ(o)
  const float* c_prev = nullptr;  // (B, H)
  float* c = nullptr;             // (B, H) out
  void* h = nullptr;              // (B, H) out, op_type: tanh(c)·σ(o)
  void* output = nullptr;         // (B, H) out, op_type: h·dropout, or null (no dropout)
  DropoutMask dropout;
  uint32_t dropout_index = 0;  // mask index of (row 0, unit 0) of this step
};

struct CellBackward {
  int batch = 0;
  int hidden = 0;
  const float* gates = nullptr;      // (B, 4H) activations from the forward
  const float* c = nullptr;          // (B, H)
  const float* c_prev = nullptr;     // (B, H)
  const float* dh_output = nullptr;  // (B, H) d loss / d output (before dropout)
  const float* dh_next = nullptr;    // (B, H) d loss / d h via the next step's product, or null
  float* dc = nullptr;               // (B, H) in: from the next step; out: to the previous step
  void* dz = nullptr;                // (B, 4H) out, op_type: d loss / d z
  float* dbias = nullptr;            // (4H) accumulated: += Σ_b dz
  float* bias_scratch = nullptr;     // (omp_get_max_threads(), 4H) work space, overwritten
  DropoutMask dropout;
  uint32_t dropout_index = 0;
};

void lstm_cell_forward(const CellForward& step, ElementType op_type);
void lstm_cell_backward(const CellBackward& step, ElementType op_type);

}  // namespace prnn
