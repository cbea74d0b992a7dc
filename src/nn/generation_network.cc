#include "nn/generation_network.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <utility>

#include "base/error.h"
#include "nn/bf16.h"

namespace prnn {
namespace {

constexpr int kBlock = 16;  // units per block (one AVX-512 register of fp32)

int round_up(int n, int m) { return (n + m - 1) / m * m; }

// Packed column (block, gate, lane) of 4Hp ↔ Magenta column gate·H + unit, or -1 (padding).
int magenta_column(int packed_column, int hidden) {
  int block = packed_column / 64, gate = (packed_column % 64) / kBlock,
      lane = packed_column % kBlock;
  int unit = block * kBlock + lane;
  return unit < hidden ? gate * hidden + unit : -1;
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Rows per chunk of prime(): bounds its scratch (gates: rows · 4 Hp floats).
constexpr int kPrimeRows = 128;

// Threads the automatic choice tries against one: measured on 2 cores only.
constexpr int kMaxAutomaticThreads = 2;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

NetworkKernels NetworkKernels::fast(WeightFormat weights) {
  return {false, selected_isa(), weights};
}

std::string NetworkKernels::name() const {
  return std::string(reference ? "reference" : isa_name(isa)) + "/" + weight_format_name(weights);
}

namespace {

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

GenerationNetwork::GenerationNetwork(const ParamArena& params, int max_streams,
                                     NetworkKernels kernels,
                                     std::span<const Int8Matrix> stored_int8, float forget_bias)
    : shape_(params.shape()),
      max_streams_(max_streams),
      kernels_(kernels),
      forget_bias_(forget_bias) {
  PRNN_CHECK(max_streams >= 1);
  if (!kernels_.reference) {
    fast_ = &step_kernels(kernels_.isa, kernels_.weights);
    input_bytes_ = input_bytes(kernels_.weights);
  }
  for (int k = 0, offset = shape_.input.dense_size; k < shape_.input.num_groups(); ++k) {
    group_offset_.push_back(offset);
    offset += shape_.input.onehot_sizes[k];
  }
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
    if (kernels_.reference) {
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
    std::vector<int> columns(packed_gates);
    for (int col = 0; col < packed_gates; ++col) columns[col] = magenta_column(col, hidden);
    const TensorSpec& spec = params.lstm_kernel(l);
    const Int8Matrix int8 = int8_form(kernels_.weights, params, spec, stored_int8);
    layer.scale = packed_scales(int8, packed_gates, [&](int col) { return columns[col]; });
    layer.packed = pack_matrix(
        kernels_.weights, fast_->group_width, layer.rows, layer.padded / kBlock, 64,
        [&](int r, int col) {
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
      layer.init.assign(static_cast<size_t>(max_streams) * packed_gates, 0.0f);
    }
    layer.x.assign(2 * static_cast<size_t>(max_streams) * layer.rows * input_bytes_, 0);
  }

  int widest = 0;
  for (const Layer& layer : layers_) widest = std::max(widest, layer.padded);
  reorder_scratch_.assign(static_cast<size_t>(max_streams) * widest, 0.0f);
  sequence_width_ = widest;
  const int top = shape_.top_size(), vocab = shape_.num_logits();
  std::span<const float> weights = params.view(params.dense_weights());
  std::span<const float> biases = params.view(params.dense_biases());
  logits_.assign(static_cast<size_t>(max_streams) * vocab, 0.0f);
  if (kernels_.reference) {
    out_weights_.assign(weights.begin(), weights.end());
    out_bias_.assign(biases.begin(), biases.end());
    return;
  }
  const int top_padded = layers_.back().padded;
  padded_logits_ = round_up(vocab, kBlock);
  out_bias_.assign(padded_logits_, 0.0f);
  std::copy(biases.begin(), biases.end(), out_bias_.begin());
  const Int8Matrix int8 = int8_form(kernels_.weights, params, params.dense_weights(), stored_int8);
  out_scale_ = packed_scales(int8, padded_logits_, [&](int col) { return col < vocab ? col : -1; });
  out_packed_ =
      pack_matrix(kernels_.weights, fast_->group_width, top_padded, padded_logits_ / kBlock, kBlock,
                  [&](int row, int column) {
                    return row < top && column < vocab
                               ? packed_value(params, params.dense_weights(), int8, row, column)
                               : 0.0f;
                  });
  top_x_.assign(static_cast<size_t>(max_streams) * top_padded * input_bytes_, 0);
  padded_out_.assign(static_cast<size_t>(max_streams) * padded_logits_, 0.0f);
}

GenerationNetwork::~GenerationNetwork() = default;

size_t GenerationNetwork::weight_bytes() const {
  size_t bytes = 0;
  for (const Layer& layer : layers_) {
    bytes += layer.packed.size() + (layer.input_rows.size() + layer.scale.size()) * 4 +
             layer.kernel.size() * 4;
  }
  return bytes + out_packed_.size() + (out_scale_.size() + out_weights_.size()) * 4;
}

void GenerationNetwork::reset() {
  stale_from_ = 0;
  for (Layer& layer : layers_) {
    std::fill(layer.c.begin(), layer.c.end(), 0.0f);
    std::fill(layer.h.begin(), layer.h.end(), 0.0f);
  }
}

void GenerationNetwork::reset_stream(int stream) {
  stale_from_ = 0;
  PRNN_CHECK(stream >= 0 && stream < max_streams_);
  for (Layer& layer : layers_) {
    std::fill_n(layer.c.begin() + static_cast<size_t>(stream) * layer.padded, layer.padded, 0.0f);
    std::fill_n(layer.h.begin() + static_cast<size_t>(stream) * layer.padded, layer.padded, 0.0f);
  }
}

void GenerationNetwork::copy_stream(int from, int to) {
  PRNN_CHECK(from >= 0 && from < max_streams_ && to >= 0 && to < max_streams_);
  if (from == to) return;
  stale_from_ = 0;
  for (Layer& layer : layers_) {
    const size_t n = layer.padded;
    std::memcpy(&layer.c[to * n], &layer.c[from * n], n * sizeof(float));
    std::memcpy(&layer.h[to * n], &layer.h[from * n], n * sizeof(float));
  }
}

void GenerationNetwork::reorder_streams(std::span<const int> sources) {
  stale_from_ = 0;
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

void GenerationNetwork::set_threads(int threads) {
  threads_ = std::max(0, threads);
  if (threads_ == 0) {
    const int most = std::clamp(omp_get_num_procs(), 1, kMaxAutomaticThreads);
    step_chooser_ = ThreadChooser(most);
    prime_chooser_ = ThreadChooser(most);
  }
}

std::span<const float> GenerationNetwork::step(int num_streams, std::span<const int32_t> onehot,
                                               std::span<const float> dense) {
  PRNN_CHECK(num_streams >= 1 && num_streams <= max_streams_);
  PRNN_CHECK(onehot.size() == static_cast<size_t>(num_streams) * shape_.input.num_groups());
  PRNN_CHECK(dense.size() == static_cast<size_t>(num_streams) * shape_.input.dense_size);
  const int vocab = shape_.num_logits();
  const std::span<float> logits(logits_.data(), static_cast<size_t>(num_streams) * vocab);
  if (fast_ == nullptr) {
    reserve_prime_rows(num_streams);
    prime_chunk_fp32(num_streams, 1, onehot.data(), dense.data(), logits.data(), 0);
    return logits;
  }
  if (stale_from_ < num_streams) refresh_inputs(stale_from_, num_streams);
  active_threads_ = threads_ > 0 ? threads_ : step_chooser_.threads();
  const auto start = std::chrono::steady_clock::now();
  // One parallel region per step: each thread takes a fixed share of every layer's unit
  // blocks (and of the dense layer's columns); a barrier after each layer. One thread
  // runs the same body without entering a region.
  auto run = [&](int thread, int threads) {
    auto share = [&](int blocks) {
      return std::pair(blocks * thread / threads, blocks * (thread + 1) / threads);
    };
    const auto [first0, end0] = share(layers_[0].padded / kBlock);
    gather_inputs(num_streams, onehot.data(), dense.data(), layers_[0].init.data(), first0 * 64,
                  end0 * 64);
    for (int l = 0; l < shape_.num_layers(); ++l) {
      const auto [first, end] = share(layers_[l].padded / kBlock);
      fast_->lstm_blocks(step_args(l, num_streams), first, end);
      if (threads > 1) {
#pragma omp barrier
      }
    }
    const auto [first, end] = share(padded_logits_ / kBlock);
    fast_->dense_blocks(dense_args(num_streams, top_x_.data(), layers_.back().padded), first, end);
  };
  if (active_threads_ == 1) {
    run(0, 1);
  } else {
#pragma omp parallel num_threads(active_threads_)
    run(omp_get_thread_num(), omp_get_num_threads());
  }
  if (threads_ == 0) step_chooser_.record(seconds_since(start), num_streams);
  parity_ ^= 1;
  // Only the stepped streams wrote their inputs of the new parity.
  stale_from_ = num_streams;
  for (int b = 0; b < num_streams; ++b) {
    std::memcpy(&logits[static_cast<size_t>(b) * vocab],
                &padded_out_[static_cast<size_t>(b) * padded_logits_], vocab * sizeof(float));
  }
  return logits;
}

// The product inputs of the current parity from the fp32 state: each layer's own h
// for streams [first, end) (the h of the layer below is written by that layer's step).
void GenerationNetwork::refresh_inputs(int first, int end) {
  for (Layer& layer : layers_) {
    const int below = layer.rows - layer.padded;
    for (int b = first; b < end; ++b) {
      fast_->to_input(
          &layer.h[static_cast<size_t>(b) * layer.padded], layer.padded,
          input_at(layer_x(layer, parity_), static_cast<size_t>(b) * layer.rows + below));
    }
  }
  stale_from_ = std::max(stale_from_, end);
}

uint8_t* GenerationNetwork::layer_x(Layer& layer, int parity) const {
  return layer.x.data() + static_cast<size_t>(parity) * max_streams_ * layer.rows * input_bytes_;
}

// Layer l's step at the current parity p: reads x[p] = [h below (this step) | own h
// (previous step)], writes h' into its own x[1 − p] (next step) and into the layer
// above's x[p] (or the dense layer's input).
ProductArgs GenerationNetwork::step_args(int l, int num_streams) {
  Layer& layer = layers_[l];
  ProductArgs args =
      l == 0 ? recurrent_args(l, num_streams, layer.init.data(), 4 * layer.padded, parity_)
             : recurrent_args(l, num_streams, layer.gate_bias.data(), 0, parity_);
  const int below = layer.rows - layer.padded;
  args.h_out[0] = input_at(layer_x(layer, parity_ ^ 1), below);
  args.h_out_stride[0] = layer.rows;
  if (l + 1 < shape_.num_layers()) {
    args.h_out[1] = layer_x(layers_[l + 1], parity_);
    args.h_out_stride[1] = layers_[l + 1].rows;
  } else {
    args.h_out[1] = top_x_.data();
    args.h_out_stride[1] = layer.padded;
  }
  return args;
}

void GenerationNetwork::prime(int num_streams, int steps, std::span<const int32_t> onehot,
                              std::span<const float> dense, std::span<float> logits) {
  PRNN_CHECK(num_streams >= 1 && num_streams <= max_streams_ && steps >= 0);
  const size_t rows = static_cast<size_t>(steps) * num_streams;
  const int groups = shape_.input.num_groups(), dense_size = shape_.input.dense_size;
  const size_t vocab = shape_.num_logits();
  PRNN_CHECK(onehot.size() == rows * groups && dense.size() == rows * dense_size);
  const bool every_step = logits.size() == rows * vocab && steps > 0;
  PRNN_CHECK(logits.empty() || every_step || logits.size() == num_streams * vocab);
  if (steps == 0) return;
  // Chunks of at most kPrimeRows rows (at least one step) bound the scratch memory.
  const int chunk_steps = std::max(1, kPrimeRows / num_streams);
  reserve_prime_rows(std::min(steps, chunk_steps) * num_streams);
  for (int t0 = 0; t0 < steps; t0 += chunk_steps) {
    const int chunk = std::min(chunk_steps, steps - t0);
    const size_t first_row = static_cast<size_t>(t0) * num_streams;
    // Logits of the chunk's rows from `first_logit_row` on (every step, or the last step).
    float* out = nullptr;
    int first_logit_row = 0;
    if (every_step) {
      out = &logits[first_row * vocab];
    } else if (!logits.empty() && t0 + chunk == steps) {
      out = logits.data();
      first_logit_row = (chunk - 1) * num_streams;
    }
    const int32_t* chunk_onehot = onehot.data() + first_row * groups;
    const float* chunk_dense = dense.data() + first_row * dense_size;
    if (fast_ != nullptr) {
      prime_chunk_fast(num_streams, chunk, chunk_onehot, chunk_dense, out, first_logit_row);
    } else {
      prime_chunk_fp32(num_streams, chunk, chunk_onehot, chunk_dense, out, first_logit_row);
    }
  }
}

// Layer 0's gate pre-activations of `rows` input rows: bias + dense·rows + the one-hot
// rows, into gates (rows, 4 Hp), by the kernels' gather.
void GenerationNetwork::gather_inputs(int rows, const int32_t* onehot, const float* dense,
                                      float* gates, int first_column, int end_column) const {
  const InputLayout& input = shape_.input;
  const int groups = input.num_groups();
  for (int b = 0; b < rows; ++b)
    for (int k = 0; k < groups; ++k)
      PRNN_CHECK(onehot[static_cast<size_t>(b) * groups + k] < input.onehot_sizes[k]);
  GatherArgs args;
  args.bias = layers_[0].gate_bias.data();
  args.table = layers_[0].input_rows.data();
  args.width = 4 * layers_[0].padded;
  args.rows = rows;
  args.dense = dense;
  args.dense_size = input.dense_size;
  args.onehot = onehot;
  args.group_offset = group_offset_.data();
  args.groups = groups;
  args.out = gates;
  fast_->gather_inputs(args, first_column, end_column);
}

// Runs body(begin, end) over [0, blocks) in pieces of `piece` blocks, on active_threads_.
template <typename Body>
void GenerationNetwork::for_blocks(int blocks, int piece, Body body) const {
  const int pieces = (blocks + piece - 1) / piece;
#pragma omp parallel for schedule(static) num_threads(active_threads_) if (active_threads_ > 1)
  for (int i = 0; i < pieces; ++i) body(i * piece, std::min(blocks, (i + 1) * piece));
}

ProductArgs GenerationNetwork::recurrent_args(int l, int num_streams, const float* init,
                                              int init_stride, int parity) {
  Layer& layer = layers_[l];
  ProductArgs args;
  args.w = layer.packed.data();
  args.scale = layer.scale.data();
  args.k_pairs = layer.rows / 2;
  args.k_end = layer.rows / 2;
  args.num_streams = num_streams;
  args.x = layer_x(layer, parity);
  args.x_stride = layer.rows;
  args.init = init;
  args.init_stride = init_stride;
  args.c = layer.c.data();
  args.h = layer.h.data();
  args.hp = layer.padded;
  return args;
}

// Scratch of prime() (and of the fp32 step) for `rows` rows; grows only.
void GenerationNetwork::reserve_prime_rows(int rows) {
  int widest_gates = 0;
  for (const Layer& layer : layers_) widest_gates = std::max(widest_gates, 4 * layer.padded);
  const size_t gates = static_cast<size_t>(rows) * widest_gates;
  const size_t sequence = static_cast<size_t>(rows) * sequence_width_;
  if (prime_gates_.size() < gates) prime_gates_.resize(gates);
  if (fast_ != nullptr && prime_x_.size() < sequence * input_bytes_)
    prime_x_.resize(sequence * input_bytes_);
  if (fast_ == nullptr && prime_h_.size() < sequence) prime_h_.resize(sequence);
}

ProductArgs GenerationNetwork::dense_args(int num_streams, const void* top_h, int x_stride) {
  ProductArgs args;
  args.w = out_packed_.data();
  args.scale = out_scale_.data();
  args.k_pairs = args.k_end = layers_.back().padded / 2;
  args.num_streams = num_streams;
  args.x = top_h;
  args.x_stride = x_stride;
  args.init = out_bias_.data();
  args.gates = padded_out_.data();
  args.gates_stride = padded_logits_;
  return args;
}

// The dense layer on `rows` rows of the top layer's h (product inputs, row stride
// x_stride) → logits (rows, V).
void GenerationNetwork::output_fast(int rows, const void* top_h, int x_stride, float* logits) {
  const int vocab = shape_.num_logits();
  for (int r0 = 0; r0 < rows; r0 += max_streams_) {  // padded_out_ holds max_streams_ rows
    const int count = std::min(max_streams_, rows - r0);
    const ProductArgs args = dense_args(
        count, input_at(const_cast<void*>(top_h), static_cast<size_t>(r0) * x_stride), x_stride);
    for_blocks(padded_logits_ / kBlock, count == 1 ? 5 : 1,
               [&](int begin, int end) { fast_->dense_blocks(args, begin, end); });
    for (int b = 0; b < count; ++b) {
      std::memcpy(&logits[static_cast<size_t>(r0 + b) * vocab],
                  &padded_out_[static_cast<size_t>(b) * padded_logits_], vocab * sizeof(float));
    }
  }
}

// T steps of B streams; the h of each layer for all T·B rows is kept as product inputs
// (prime_x_) for the next layer. Same arithmetic, in the same order, as T calls of step().
void GenerationNetwork::prime_chunk_fast(int num_streams, int steps, const int32_t* onehot,
                                         const float* dense, float* logits, int first_logit_row) {
  const int rows = steps * num_streams;
  if (stale_from_ < num_streams) refresh_inputs(stale_from_, num_streams);
  active_threads_ = threads_ > 0 ? threads_ : prime_chooser_.threads();
  const auto start = std::chrono::steady_clock::now();
  gather_inputs(rows, onehot, dense, prime_gates_.data(), 0, 4 * layers_[0].padded);
  for (int l = 0; l < shape_.num_layers(); ++l) {
    Layer& layer = layers_[l];
    const int below = l == 0 ? 0 : layers_[l - 1].padded;
    const int stride = 4 * layer.padded;
    if (l > 0) {  // input projection of all rows: (T·B, Hp below) · (Hp below, 4 Hp)
      ProductArgs args;
      args.w = layer.packed.data();
      args.scale = layer.scale.data();
      args.k_pairs = layer.rows / 2;
      args.k_end = below / 2;
      args.num_streams = rows;
      args.x = prime_x_.data();
      args.x_stride = sequence_width_;
      args.init = layer.gate_bias.data();
      args.gates = prime_gates_.data();
      args.gates_stride = stride;
      for_blocks(layer.padded / kBlock, 1,
                 [&](int begin, int end) { fast_->gate_blocks(args, begin, end); });
    }
    int parity = parity_;
    for (int t = 0; t < steps; ++t, parity ^= 1) {  // the recurrent product, step by step
      ProductArgs args = recurrent_args(
          l, num_streams, &prime_gates_[static_cast<size_t>(t) * num_streams * stride], stride,
          parity);
      args.k_begin = below / 2;
      args.h_out[0] = input_at(layer_x(layer, parity ^ 1), below);
      args.h_out_stride[0] = layer.rows;
      args.h_out[1] =
          input_at(prime_x_.data(), static_cast<size_t>(t) * num_streams * sequence_width_);
      args.h_out_stride[1] = sequence_width_;
      for_blocks(layer.padded / kBlock, num_streams == 1 ? 4 : 1,
                 [&](int begin, int end) { fast_->lstm_blocks(args, begin, end); });
    }
  }
  stale_from_ = 0;  // streams past B keep their inputs at the old parity
  if (logits != nullptr) {
    output_fast(rows - first_logit_row,
                input_at(prime_x_.data(), static_cast<size_t>(first_logit_row) * sequence_width_),
                sequence_width_, logits);
  }
  if (threads_ == 0) prime_chooser_.record(seconds_since(start), rows);
}

namespace {

// gates (G) += Σ over rows r of x[r] · w[r] (w row-major, G columns), skipping zero inputs,
// rows in order: the reference twin's product.
void accumulate_rows(const float* x, int rows, const float* w, int columns, float* gates) {
  for (int r = 0; r < rows; ++r) {
    if (x[r] == 0.0f) continue;
    const float* row = &w[static_cast<size_t>(r) * columns];
    for (int g = 0; g < columns; ++g) gates[g] += x[r] * row[g];
  }
}

}  // namespace

// The reference twin: Magenta's formulas on the unpacked fp32 weights. Each layer's input
// projection runs for all T·B rows first, then the recurrent product step by step; the
// sums run in the order of one [input, h] product, so the result equals step by step.
void GenerationNetwork::prime_chunk_fp32(int num_streams, int steps, const int32_t* onehot,
                                         const float* dense, float* logits, int first_logit_row) {
  const InputLayout& input = shape_.input;
  const int rows = steps * num_streams;
  for (int l = 0; l < shape_.num_layers(); ++l) {
    Layer& layer = layers_[l];
    const int hidden = layer.hidden, gates = 4 * hidden, inputs = shape_.layer_input_size(l);
    for (int r = 0; r < rows; ++r) {  // input projection of every row
      float* g = &prime_gates_[static_cast<size_t>(r) * gates];
      std::copy(layer.bias.begin(), layer.bias.end(), g);
      if (l > 0) {
        accumulate_rows(&prime_h_[static_cast<size_t>(r) * sequence_width_], inputs,
                        layer.kernel.data(), gates, g);
        continue;
      }
      accumulate_rows(&dense[static_cast<size_t>(r) * input.dense_size], input.dense_size,
                      layer.kernel.data(), gates, g);
      for (int k = 0, offset = input.dense_size; k < input.num_groups(); ++k) {
        const int index = onehot[static_cast<size_t>(r) * input.num_groups() + k];
        PRNN_CHECK(index < input.onehot_sizes[k]);
        if (index >= 0) {
          const float one = 1.0f;
          accumulate_rows(&one, 1, &layer.kernel[static_cast<size_t>(offset + index) * gates],
                          gates, g);
        }
        offset += input.onehot_sizes[k];
      }
    }
    const float* recurrent = &layer.kernel[static_cast<size_t>(inputs) * gates];
    for (int r = 0; r < rows; ++r) {  // row r = step r / B of stream r % B
      const int b = r % num_streams;
      float* g = &prime_gates_[static_cast<size_t>(r) * gates];
      float* c = &layer.c[static_cast<size_t>(b) * layer.padded];
      float* h = &layer.h[static_cast<size_t>(b) * layer.padded];
      accumulate_rows(h, hidden, recurrent, gates, g);
      for (int u = 0; u < hidden; ++u) {
        const float i = g[u], j = g[hidden + u], f = g[2 * hidden + u], o = g[3 * hidden + u];
        c[u] = c[u] * sigmoid(f + forget_bias_) + sigmoid(i) * std::tanh(j);
        h[u] = std::tanh(c[u]) * sigmoid(o);
      }
      std::copy_n(h, hidden, &prime_h_[static_cast<size_t>(r) * sequence_width_]);
    }
  }
  if (logits == nullptr) return;
  const int vocab = shape_.num_logits(), top = layers_.back().hidden;
  for (int r = first_logit_row; r < rows; ++r) {
    float* out = &logits[static_cast<size_t>(r - first_logit_row) * vocab];
    std::copy(out_bias_.begin(), out_bias_.end(), out);
    accumulate_rows(&prime_h_[static_cast<size_t>(r) * sequence_width_], top, out_weights_.data(),
                    vocab, out);
  }
}

}  // namespace prnn
