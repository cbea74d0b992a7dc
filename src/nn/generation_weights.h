// The weights of a network as generation reads them: each LSTM layer's [input + recurrent]
// kernel packed for the kernels of one instruction-set level over one weight storage
// (bf16, fp32 or int8 with per-column scales, see step_kernels.h and int8_weights.h), the
// gate columns regrouped so that one 16-unit block holds its i, j, f, o columns together;
// layer 0's input rows kept fp32 (gathered one-hot or accumulated dense); the dense layer
// packed the same way. The reference twin keeps Magenta's unpacked fp32 matrices instead.
// The forget bias (1.0, BasicLSTMCell's) is not in the stored weights: the packed gate
// biases include it, the reference twin adds it at run time, as Magenta does.
//
// Immutable once built: any number of GenerationNetworks (one per thread, each with its own
// streams' state) share one through a shared_ptr, so a server with an engine per CPU holds
// one copy of each model's weights, not one per engine.
//
// Letters (doc/design.md): H hidden units, Hp = H rounded up to 16, I layer-0 input rows,
// K product rows, V logits, Vp = V rounded up to 16.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/int8_weights.h"
#include "nn/isa.h"
#include "nn/network_shape.h"
#include "nn/param_arena.h"
#include "nn/step_kernels.h"

namespace prnn {

// How a GenerationNetwork computes: the kernels of one instruction-set level over one weight
// storage, or the reference twin (Magenta's formulas as plain fp32 loops on the unpacked
// weights: the test oracle, never what a user runs).
struct NetworkKernels {
  bool reference = false;
  Isa isa = Isa::kBaseline;
  WeightFormat weights = WeightFormat::kBf16;

  // The process's selected level (selected_isa()) with `weights`.
  static NetworkKernels fast(WeightFormat weights = kDefaultWeights);
  static NetworkKernels reference_twin() { return {true, Isa::kBaseline, WeightFormat::kFp32}; }
  // "avx2/bf16", or "reference/fp32".
  std::string name() const;

  // The storage generation uses unless told otherwise.
  static constexpr WeightFormat kDefaultWeights = WeightFormat::kBf16;
};

struct GenerationWeights {
  static constexpr int kBlock = 16;  // units per packed block (one AVX-512 register of fp32)

  // stored_int8: int8 weights kept with the model (an int8 model file), used as they are by
  // int8 kernels instead of quantizing params (int8_weights.h); ignored by other kernels.
  // Each must be the int8 form int8 generation uses of the params tensor it names (same
  // shape, int8_first_row), holding values that dequantize to that tensor's; matrices
  // without one are quantized from params. forget_bias: added to the f gate (1.0 for
  // Magenta's BasicLSTMCell). REQUIRES: cpu_supports(kernels.isa) unless reference.
  GenerationWeights(const ParamArena& params, NetworkKernels kernels,
                    std::span<const Int8Matrix> stored_int8 = {}, float forget_bias = 1.0f);

  struct Layer {
    int hidden = 0;                   // H
    int padded = 0;                   // Hp
    int rows = 0;                     // K: product rows (layer 0: Hp; others: Hp below + Hp)
    std::vector<uint8_t> packed;      // fast path, see step_kernels.h
    std::vector<float> scale;         // int8: (4 Hp) per packed column
    std::vector<float> gate_bias;     // (4 Hp) packed column order, forget bias included
    std::vector<float> input_rows;    // layer 0: (I, 4 Hp) packed column order
    std::vector<float> kernel, bias;  // reference twin: Magenta's [I + H, 4H] and [4H]
  };

  // Bytes of weights a step reads.
  size_t bytes() const;

  NetworkShape shape;
  NetworkKernels kernels;
  float forget_bias;
  std::vector<Layer> layers;
  std::vector<int> group_offset;  // layer 0's first input row of each one-hot group
  // Dense layer: packed weights over Vp columns, padded biases (and int8 scales); reference
  // twin: Magenta's [H, V] weights and its V biases.
  std::vector<uint8_t> out_packed;
  std::vector<float> out_scale, out_bias, out_weights;
  int padded_logits = 0;  // Vp (fast path)
};

}  // namespace prnn
