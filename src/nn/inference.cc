#include "nn/inference.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/error.h"
#include "nn/lstm_cell.h"
#include "nn/matmul.h"
#include "nn/onehot_rows.h"
#include "nn/op_buffer.h"

namespace prnn {
namespace {

// Copies a (rows × cols) fp32 block into an operand buffer with leading dimension ld.
void store_operand(const float* source, int rows, int cols, OpBuffer& operand, int64_t column,
                   int64_t ld) {
  for (int r = 0; r < rows; ++r) {
    const float* src = source + int64_t{r} * cols;
    if (operand.type() == ElementType::kBf16) {
      convert_to_bf16(src, static_cast<uint16_t*>(operand.at(r * ld + column)), cols);
    } else {
      std::copy_n(src, cols, static_cast<float*>(operand.at(r * ld + column)));
    }
  }
}

}  // namespace

struct InferenceEngine::Impl {
  struct Layer {
    int I = 0, H = 0;          // I: input rows of the kernel (layer 0: dense rows only)
    std::vector<float> c, h;   // (B, H) state
    std::vector<float> gates;  // (B, 4H)
    OpBuffer operand;          // (B, I + H): [input, h_prev] (layer 0: [dense] and h apart)
    OpBuffer h_operand;        // (B, H) layer 0's h_prev
    Matmul product;            // layer > 0: gates = [x, h]·W + b; layer 0: gates += dense·W_d
    Matmul recurrent;          // layer 0: gates += h·W_h
  };
  ParamArena params;
  int B;
  ElementType op;
  std::vector<Layer> layers;
  std::vector<float> logits;  // (B, V)
  OpBuffer top_operand;       // (B, H_top)
  Matmul output;
  std::vector<float> scratch;  // (B, H_max) for reordering

  Impl(const ParamArena& p, int streams, Precision precision)
      : params(p), B(streams), layers(p.shape().num_layers()) {
    PRNN_CHECK(streams >= 1);
    op = resolve_precision(precision) == Precision::kBf16 ? ElementType::kBf16 : ElementType::kF32;
    const NetworkShape& shape = params.shape();
    int max_h = 0;
    for (int k = 0; k < shape.num_layers(); ++k) {
      Layer& l = layers[k];
      l.H = shape.layer_sizes[k];
      l.I = k == 0 ? shape.input.dense_size : shape.layer_input_size(k);
      max_h = std::max(max_h, l.H);
      const int G = 4 * l.H;
      l.c.assign(int64_t{B} * l.H, 0.0f);
      l.h.assign(int64_t{B} * l.H, 0.0f);
      l.gates.assign(int64_t{B} * G, 0.0f);
      l.operand.set_type(op);
      l.h_operand.set_type(op);
      const float* kernel = params.view(params.lstm_kernel(k)).data();
      if (k == 0) {
        l.h_operand.resize(int64_t{B} * l.H);
        const int input_rows = shape.layer_input_size(0);
        l.recurrent.init({B, l.H, 0, false, op}, {l.H, G, 0, false, op},
                         {.accumulate = true, .packed_b = true});
        l.recurrent.pack_b(kernel + int64_t{input_rows} * G, {l.H, G, 0, false, op});
        if (l.I > 0) {
          l.operand.resize(int64_t{B} * l.I);
          l.product.init({B, l.I, 0, false, op}, {l.I, G, 0, false, op},
                         {.accumulate = true, .packed_b = true});
          l.product.pack_b(kernel, {l.I, G, 0, false, op});
        }
      } else {
        l.operand.resize(int64_t{B} * (l.I + l.H));
        l.product.init({B, l.I + l.H, 0, false, op}, {l.I + l.H, G, 0, false, op},
                       {.with_bias = true, .packed_b = true});
        l.product.pack_b(kernel, {l.I + l.H, G, 0, false, op});
      }
    }
    const int V = shape.num_logits(), Ht = shape.top_size();
    logits.assign(int64_t{B} * V, 0.0f);
    top_operand.set_type(op);
    top_operand.resize(int64_t{B} * Ht);
    output.init({B, Ht, 0, false, op}, {Ht, V, 0, false, op},
                {.with_bias = true, .packed_b = true});
    output.pack_b(params.view(params.dense_weights()).data(), {Ht, V, 0, false, op});
    scratch.assign(int64_t{B} * max_h, 0.0f);
  }

  void step(const int32_t* onehot, const float* dense) {
    const NetworkShape& shape = params.shape();
    for (int k = 0; k < shape.num_layers(); ++k) {
      Layer& l = layers[k];
      const int G = 4 * l.H;
      const float* bias = params.view(params.lstm_bias(k)).data();
      if (k == 0) {
        gather_onehot_rows(shape.input, params.view(params.lstm_kernel(0)).data(), bias, G, onehot,
                           B, l.gates.data());
        if (l.I > 0) {
          store_operand(dense, B, l.I, l.operand, 0, l.I);
          l.product.run(l.operand.at(0), nullptr, l.gates.data());
        }
        store_operand(l.h.data(), B, l.H, l.h_operand, 0, l.H);
        l.recurrent.run(l.h_operand.at(0), nullptr, l.gates.data());
      } else {
        const Layer& below = layers[k - 1];
        store_operand(below.h.data(), B, l.I, l.operand, 0, l.I + l.H);
        store_operand(l.h.data(), B, l.H, l.operand, l.I, l.I + l.H);
        l.product.run(l.operand.at(0), nullptr, l.gates.data(), bias);
      }
      CellForward cell{.batch = B,
                       .hidden = l.H,
                       .gates = l.gates.data(),
                       .c_prev = l.c.data(),
                       .c = l.c.data(),
                       .h = l.h.data(),
                       .output = nullptr,
                       .dropout = {},
                       .dropout_index = 0};
      lstm_cell_forward(cell, ElementType::kF32);
    }
    const Layer& top = layers.back();
    store_operand(top.h.data(), B, top.H, top_operand, 0, top.H);
    output.run(top_operand.at(0), nullptr, logits.data(),
               params.view(params.dense_biases()).data());
  }
};

InferenceEngine::InferenceEngine(const ParamArena& params, int num_streams, Precision precision)
    : impl_(std::make_unique<Impl>(params, num_streams, precision)) {}
InferenceEngine::~InferenceEngine() = default;

const NetworkShape& InferenceEngine::shape() const { return impl_->params.shape(); }
int InferenceEngine::num_streams() const { return impl_->B; }

void InferenceEngine::reset() {
  for (auto& l : impl_->layers) {
    std::fill(l.c.begin(), l.c.end(), 0.0f);
    std::fill(l.h.begin(), l.h.end(), 0.0f);
  }
}

void InferenceEngine::reset_stream(int stream) {
  PRNN_CHECK(stream >= 0 && stream < impl_->B);
  for (auto& l : impl_->layers) {
    std::fill_n(l.c.begin() + int64_t{stream} * l.H, l.H, 0.0f);
    std::fill_n(l.h.begin() + int64_t{stream} * l.H, l.H, 0.0f);
  }
}

std::span<const float> InferenceEngine::step(std::span<const int32_t> onehot,
                                             std::span<const float> dense) {
  const InputLayout& layout = shape().input;
  PRNN_CHECK(onehot.size() == size_t(impl_->B) * layout.num_groups());
  PRNN_CHECK(dense.size() == size_t(impl_->B) * layout.dense_size);
  impl_->step(onehot.data(), dense.data());
  return impl_->logits;
}

std::span<const float> InferenceEngine::prime(int num_steps, std::span<const int32_t> onehot,
                                              std::span<const float> dense) {
  const InputLayout& layout = shape().input;
  const size_t K = layout.num_groups(), D = layout.dense_size, B = impl_->B;
  PRNN_CHECK(num_steps >= 1);
  PRNN_CHECK(onehot.size() == num_steps * B * K && dense.size() == num_steps * B * D);
  for (int t = 0; t < num_steps; ++t) {
    impl_->step(onehot.data() + t * B * K, dense.data() + t * B * D);
  }
  return impl_->logits;
}

void InferenceEngine::reorder_streams(std::span<const int> sources) {
  const int B = impl_->B;
  PRNN_CHECK(static_cast<int>(sources.size()) == B);
  for (int s : sources) PRNN_CHECK(s >= 0 && s < B);
  for (auto& l : impl_->layers) {
    for (std::vector<float>* state : {&l.c, &l.h}) {
      std::copy_n(state->begin(), int64_t{B} * l.H, impl_->scratch.begin());
      for (int s = 0; s < B; ++s) {
        std::copy_n(impl_->scratch.begin() + int64_t{sources[s]} * l.H, l.H,
                    state->begin() + int64_t{s} * l.H);
      }
    }
  }
}

void InferenceEngine::copy_stream(int from, int to) {
  PRNN_CHECK(from >= 0 && from < impl_->B && to >= 0 && to < impl_->B);
  for (auto& l : impl_->layers) {
    std::copy_n(l.c.begin() + int64_t{from} * l.H, l.H, l.c.begin() + int64_t{to} * l.H);
    std::copy_n(l.h.begin() + int64_t{from} * l.H, l.H, l.h.begin() + int64_t{to} * l.H);
  }
}

std::span<float> InferenceEngine::cell_state(int layer, int stream) {
  auto& l = impl_->layers.at(layer);
  PRNN_CHECK(stream >= 0 && stream < impl_->B);
  return {l.c.data() + int64_t{stream} * l.H, static_cast<size_t>(l.H)};
}

std::span<float> InferenceEngine::hidden_state(int layer, int stream) {
  auto& l = impl_->layers.at(layer);
  PRNN_CHECK(stream >= 0 && stream < impl_->B);
  return {l.h.data() + int64_t{stream} * l.H, static_cast<size_t>(l.H)};
}

}  // namespace prnn
