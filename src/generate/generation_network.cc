#include "generate/generation_network.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/error.h"
#include "generate/bf16_kernels.h"

namespace prnn {
namespace {

constexpr int kBlock = 16;  // units per block (one AVX-512 register of fp32)

int round_up(int n, int m) { return (n + m - 1) / m * m; }

// Round to nearest even, as the kernels' vcvtne2ps2bf16 (weights are finite).
uint16_t to_bf16(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  bits += 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

// Packed column (block, gate, lane) of 4Hp ↔ Magenta column gate·H + unit, or -1 (padding).
int magenta_column(int packed_column, int hidden) {
  int block = packed_column / 64, gate = (packed_column % 64) / kBlock,
      lane = packed_column % kBlock;
  int unit = block * kBlock + lane;
  return unit < hidden ? gate * hidden + unit : -1;
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

GenerationNetwork::GenerationNetwork(const ParamArena& params, int max_streams, bool use_bf16,
                                     float forget_bias)
    : shape_(params.shape()),
      max_streams_(max_streams),
      use_bf16_(use_bf16 && bf16_kernels::available()),
      forget_bias_(forget_bias) {
  PRNN_CHECK(max_streams >= 1);
  const int num_layers = shape_.num_layers();
  layers_.resize(num_layers);
  for (int l = 0; l < num_layers; ++l) {
    Layer& layer = layers_[l];
    const int hidden = shape_.layer_sizes[l];
    const int inputs = shape_.layer_input_size(l);
    layer.hidden = hidden;
    layer.padded = round_up(hidden, kBlock);
    const int below = l == 0 ? 0 : layers_[l - 1].padded;
    layer.rows = below + layer.padded;
    layer.c.assign(static_cast<size_t>(max_streams) * layer.padded, 0.0f);
    layer.h.assign(layer.c.size(), 0.0f);
    std::span<const float> kernel = params.view(params.lstm_kernel(l));
    std::span<const float> bias = params.view(params.lstm_bias(l));
    const int gates = 4 * hidden, packed_gates = 4 * layer.padded;
    if (!use_bf16_) {
      layer.kernel.assign(kernel.begin(), kernel.end());
      layer.bias.assign(bias.begin(), bias.end());
      continue;
    }
    // Product row r → Magenta kernel row, or -1 for a padding row.
    auto kernel_row = [&](int r) {
      if (l > 0 && r < below) return r < layers_[l - 1].hidden ? r : -1;
      int unit = r - below;
      return unit < hidden ? inputs + unit : -1;
    };
    auto weight = [&](int row, int column) {
      return row < 0 || column < 0 ? 0.0f : kernel[static_cast<size_t>(row) * gates + column];
    };
    const int k_pairs = layer.rows / 2;
    std::vector<int> columns(packed_gates);
    for (int col = 0; col < packed_gates; ++col) columns[col] = magenta_column(col, hidden);
    layer.packed.assign(static_cast<size_t>(layer.padded / kBlock) * k_pairs * 128, 0);
    for (int r = 0; r < layer.rows; ++r) {
      const int row = kernel_row(r);
      if (row < 0) continue;  // padding rows stay zero
      const float* source = &kernel[static_cast<size_t>(row) * gates];
      for (int col = 0; col < packed_gates; ++col) {
        if (columns[col] < 0) continue;
        const size_t block = col / 64;
        layer.packed[((block * k_pairs + r / 2) * 64 + col % 64) * 2 + r % 2] =
            to_bf16(source[columns[col]]);
      }
    }
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
      layer.init.assign(static_cast<size_t>(max_streams) * packed_gates, 0.0f);
    }
    layer.x.assign(static_cast<size_t>(max_streams) * layer.rows, 0);
  }

  int widest = 0;
  for (const Layer& layer : layers_) widest = std::max(widest, layer.padded);
  reorder_scratch_.assign(static_cast<size_t>(max_streams) * widest, 0.0f);
  const int top = shape_.top_size(), vocab = shape_.num_logits();
  std::span<const float> weights = params.view(params.dense_weights());
  std::span<const float> biases = params.view(params.dense_biases());
  logits_.assign(static_cast<size_t>(max_streams) * vocab, 0.0f);
  if (!use_bf16_) {
    // Scratch of the fp32 step, sized for the widest [input, h] and gate vectors.
    int widest_input = 0, widest_gates = 0;
    for (int l = 0; l < num_layers; ++l) {
      widest_input = std::max(widest_input, shape_.layer_input_size(l) + shape_.layer_sizes[l]);
      widest_gates = std::max(widest_gates, 4 * shape_.layer_sizes[l]);
    }
    fp32_x_.reserve(widest_input);
    fp32_gates_.reserve(widest_gates);
    out_weights_.assign(weights.begin(), weights.end());
    out_bias_.assign(biases.begin(), biases.end());
    return;
  }
  const int top_padded = layers_.back().padded, k_pairs = top_padded / 2;
  padded_logits_ = round_up(vocab, kBlock);
  out_bias_.assign(padded_logits_, 0.0f);
  std::copy(biases.begin(), biases.end(), out_bias_.begin());
  out_packed_.assign(static_cast<size_t>(padded_logits_ / kBlock) * k_pairs * 32, 0);
  for (int block = 0; block < padded_logits_ / kBlock; ++block)
    for (int kp = 0; kp < k_pairs; ++kp)
      for (int lane = 0; lane < kBlock; ++lane)
        for (int e = 0; e < 2; ++e) {
          int row = 2 * kp + e, column = block * kBlock + lane;
          float w = row < top && column < vocab ? weights[static_cast<size_t>(row) * vocab + column]
                                                : 0.0f;
          out_packed_[((static_cast<size_t>(block) * k_pairs + kp) * kBlock + lane) * 2 + e] =
              to_bf16(w);
        }
  top_x_.assign(static_cast<size_t>(max_streams) * top_padded, 0);
  padded_out_.assign(static_cast<size_t>(max_streams) * padded_logits_, 0.0f);
}

GenerationNetwork::~GenerationNetwork() = default;

size_t GenerationNetwork::weight_bytes() const {
  size_t bytes = 0;
  for (const Layer& layer : layers_) {
    bytes += layer.packed.size() * 2 + layer.input_rows.size() * 4 + layer.kernel.size() * 4;
  }
  return bytes + out_packed_.size() * 2 + out_weights_.size() * 4;
}

void GenerationNetwork::reset() {
  for (Layer& layer : layers_) {
    std::fill(layer.c.begin(), layer.c.end(), 0.0f);
    std::fill(layer.h.begin(), layer.h.end(), 0.0f);
  }
}

void GenerationNetwork::reset_stream(int stream) {
  PRNN_CHECK(stream >= 0 && stream < max_streams_);
  for (Layer& layer : layers_) {
    std::fill_n(layer.c.begin() + static_cast<size_t>(stream) * layer.padded, layer.padded, 0.0f);
    std::fill_n(layer.h.begin() + static_cast<size_t>(stream) * layer.padded, layer.padded, 0.0f);
  }
}

void GenerationNetwork::copy_stream(int from, int to) {
  PRNN_CHECK(from >= 0 && from < max_streams_ && to >= 0 && to < max_streams_);
  if (from == to) return;
  for (Layer& layer : layers_) {
    const size_t n = layer.padded;
    std::memcpy(&layer.c[to * n], &layer.c[from * n], n * sizeof(float));
    std::memcpy(&layer.h[to * n], &layer.h[from * n], n * sizeof(float));
  }
}

void GenerationNetwork::reorder_streams(std::span<const int> sources) {
  PRNN_CHECK(sources.size() <= static_cast<size_t>(max_streams_));
  for (Layer& layer : layers_) {
    const size_t n = layer.padded;
    for (std::vector<float>* state : {&layer.c, &layer.h}) {
      std::copy(state->begin(), state->end(), reorder_scratch_.begin());
      for (size_t s = 0; s < sources.size(); ++s) {
        PRNN_CHECK(sources[s] >= 0 && sources[s] < max_streams_);
        std::copy_n(&reorder_scratch_[sources[s] * n], n, &(*state)[s * n]);
      }
    }
  }
}

std::vector<float> GenerationNetwork::save_stream(int stream) const {
  std::vector<float> out;
  for (int l = 0; l < shape_.num_layers(); ++l) {
    auto c = cell_state(l, stream), h = hidden_state(l, stream);
    out.insert(out.end(), c.begin(), c.end());
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

void GenerationNetwork::load_stream(int stream, std::span<const float> state) {
  reset_stream(stream);
  size_t at = 0;
  for (Layer& layer : layers_) {
    PRNN_CHECK(at + 2 * layer.hidden <= state.size());
    std::copy_n(&state[at], layer.hidden, &layer.c[static_cast<size_t>(stream) * layer.padded]);
    std::copy_n(&state[at + layer.hidden], layer.hidden,
                &layer.h[static_cast<size_t>(stream) * layer.padded]);
    at += 2 * layer.hidden;
  }
  PRNN_CHECK(at == state.size());
}

std::span<const float> GenerationNetwork::cell_state(int layer, int stream) const {
  const Layer& l = layers_[layer];
  return {l.c.data() + static_cast<size_t>(stream) * l.padded, static_cast<size_t>(l.hidden)};
}

std::span<const float> GenerationNetwork::hidden_state(int layer, int stream) const {
  const Layer& l = layers_[layer];
  return {l.h.data() + static_cast<size_t>(stream) * l.padded, static_cast<size_t>(l.hidden)};
}

std::span<const float> GenerationNetwork::step(int num_streams, std::span<const int32_t> onehot,
                                               std::span<const float> dense) {
  PRNN_CHECK(num_streams >= 1 && num_streams <= max_streams_);
  PRNN_CHECK(onehot.size() == static_cast<size_t>(num_streams) * shape_.input.num_groups());
  PRNN_CHECK(dense.size() == static_cast<size_t>(num_streams) * shape_.input.dense_size);
  const int vocab = shape_.num_logits();
  if (!use_bf16_) {
    step_fp32(num_streams, onehot, dense);
    return {logits_.data(), static_cast<size_t>(num_streams) * vocab};
  }
  gather_inputs(num_streams, onehot, dense);
  for (int l = 0; l < shape_.num_layers(); ++l) layer_step_bf16(l, num_streams);
  output_step_bf16(num_streams);
  for (int b = 0; b < num_streams; ++b) {
    std::memcpy(&logits_[static_cast<size_t>(b) * vocab],
                &padded_out_[static_cast<size_t>(b) * padded_logits_], vocab * sizeof(float));
  }
  return {logits_.data(), static_cast<size_t>(num_streams) * vocab};
}

// Layer 0's gate pre-activations from the inputs: bias + dense·rows + the one-hot rows.
void GenerationNetwork::gather_inputs(int num_streams, std::span<const int32_t> onehot,
                                      std::span<const float> dense) {
  Layer& layer = layers_[0];
  const int gates = 4 * layer.padded, groups = shape_.input.num_groups();
  const int dense_size = shape_.input.dense_size;
  for (int b = 0; b < num_streams; ++b) {
    float* init = &layer.init[static_cast<size_t>(b) * gates];
    std::memcpy(init, layer.gate_bias.data(), gates * sizeof(float));
    for (int d = 0; d < dense_size; ++d) {
      const float v = dense[static_cast<size_t>(b) * dense_size + d];
      if (v == 0.0f) continue;
      const float* row = &layer.input_rows[static_cast<size_t>(d) * gates];
      for (int g = 0; g < gates; ++g) init[g] += v * row[g];
    }
    int offset = dense_size;
    for (int k = 0; k < groups; ++k) {
      const int index = onehot[static_cast<size_t>(b) * groups + k];
      PRNN_CHECK(index < shape_.input.onehot_sizes[k]);
      if (index >= 0) {
        const float* row = &layer.input_rows[static_cast<size_t>(offset + index) * gates];
        for (int g = 0; g < gates; ++g) init[g] += row[g];
      }
      offset += shape_.input.onehot_sizes[k];
    }
  }
}

void GenerationNetwork::layer_step_bf16(int l, int num_streams) {
  Layer& layer = layers_[l];
  const int below = l == 0 ? 0 : layers_[l - 1].padded;
  // x = [h of the layer below (new) | own h (previous)] in bf16.
  for (int b = 0; b < num_streams; ++b) {
    uint16_t* x = &layer.x[static_cast<size_t>(b) * layer.rows];
    if (l > 0) bf16_kernels::to_bf16(&layers_[l - 1].h[static_cast<size_t>(b) * below], below, x);
    bf16_kernels::to_bf16(&layer.h[static_cast<size_t>(b) * layer.padded], layer.padded, x + below);
  }
  const float* init = l == 0 ? layer.init.data() : layer.gate_bias.data();
  const int init_stride = l == 0 ? 4 * layer.padded : 0;
  const int blocks = layer.padded / kBlock;
  const int chunk = num_streams == 1 ? 4 : 1;
  const int chunks = (blocks + chunk - 1) / chunk;
#pragma omp parallel for schedule(static) num_threads(threads_) if (threads_ > 1)
  for (int i = 0; i < chunks; ++i) {
    bf16_kernels::lstm_blocks(layer.packed.data(), layer.rows / 2, i * chunk,
                              std::min(blocks, (i + 1) * chunk), num_streams, layer.x.data(),
                              layer.rows, init, init_stride, layer.c.data(), layer.h.data(),
                              layer.padded);
  }
}

void GenerationNetwork::output_step_bf16(int num_streams) {
  const Layer& top = layers_.back();
  for (int b = 0; b < num_streams; ++b) {
    bf16_kernels::to_bf16(&top.h[static_cast<size_t>(b) * top.padded], top.padded,
                          &top_x_[static_cast<size_t>(b) * top.padded]);
  }
  const int blocks = padded_logits_ / kBlock;
  const int chunk = num_streams == 1 ? 5 : 1;
  const int chunks = (blocks + chunk - 1) / chunk;
#pragma omp parallel for schedule(static) num_threads(threads_) if (threads_ > 1)
  for (int i = 0; i < chunks; ++i) {
    bf16_kernels::dense_blocks(out_packed_.data(), top.padded / 2, i * chunk,
                               std::min(blocks, (i + 1) * chunk), num_streams, top_x_.data(),
                               top.padded, out_bias_.data(), padded_out_.data(), padded_logits_);
  }
}

// The reference twin: Magenta's formulas on the unpacked fp32 weights, one stream at a time.
void GenerationNetwork::step_fp32(int num_streams, std::span<const int32_t> onehot,
                                  std::span<const float> dense) {
  const InputLayout& input = shape_.input;
  std::vector<float>& x = fp32_x_;
  std::vector<float>& gates = fp32_gates_;
  for (int b = 0; b < num_streams; ++b) {
    x.assign(input.input_size(), 0.0f);
    for (int d = 0; d < input.dense_size; ++d) x[d] = dense[b * input.dense_size + d];
    for (int k = 0, offset = input.dense_size; k < input.num_groups(); ++k) {
      const int index = onehot[b * input.num_groups() + k];
      if (index >= 0) x[offset + index] = 1.0f;
      offset += input.onehot_sizes[k];
    }
    for (Layer& layer : layers_) {
      const int hidden = layer.hidden, rows = static_cast<int>(x.size()) + hidden;
      float* c = &layer.c[static_cast<size_t>(b) * layer.padded];
      float* h = &layer.h[static_cast<size_t>(b) * layer.padded];
      x.insert(x.end(), h, h + hidden);  // [input, h]
      gates.assign(layer.bias.begin(), layer.bias.end());
      for (int r = 0; r < rows; ++r) {
        if (x[r] == 0.0f) continue;
        const float* w = &layer.kernel[static_cast<size_t>(r) * 4 * hidden];
        for (int g = 0; g < 4 * hidden; ++g) gates[g] += x[r] * w[g];
      }
      for (int u = 0; u < hidden; ++u) {
        const float i = gates[u], j = gates[hidden + u], f = gates[2 * hidden + u],
                    o = gates[3 * hidden + u];
        c[u] = c[u] * sigmoid(f + forget_bias_) + sigmoid(i) * std::tanh(j);
        h[u] = std::tanh(c[u]) * sigmoid(o);
      }
      x.assign(h, h + hidden);
    }
    const int vocab = shape_.num_logits();
    float* out = &logits_[static_cast<size_t>(b) * vocab];
    std::copy(out_bias_.begin(), out_bias_.end(), out);
    for (int r = 0; r < static_cast<int>(x.size()); ++r) {
      const float* w = &out_weights_[static_cast<size_t>(r) * vocab];
      for (int v = 0; v < vocab; ++v) out[v] += x[r] * w[v];
    }
  }
}

}  // namespace prnn
