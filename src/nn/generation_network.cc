#include "nn/generation_network.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <utility>

#include "base/error.h"

namespace prnn {
namespace {

constexpr int kBlock = GenerationWeights::kBlock;

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Rows per chunk of prime(): bounds its scratch (gates: rows · 4 Hp floats).
constexpr int kPrimeRows = 128;

// Threads the automatic choice tries against one: measured on 2 cores only.
constexpr int kMaxAutomaticThreads = 2;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

GenerationNetwork::GenerationNetwork(const ParamArena& params, int max_streams,
                                     NetworkKernels kernels,
                                     std::span<const Int8Matrix> stored_int8, float forget_bias)
    : GenerationNetwork(
          std::make_shared<const GenerationWeights>(params, kernels, stored_int8, forget_bias),
          max_streams) {}

GenerationNetwork::GenerationNetwork(std::shared_ptr<const GenerationWeights> weights,
                                     int max_streams)
    : weights_(std::move(weights)),
      shape_(weights_->shape),
      kernels_(weights_->kernels),
      max_streams_(max_streams) {
  PRNN_CHECK(max_streams >= 1);
  if (!kernels_.reference) {
    fast_ = &step_kernels(kernels_.isa, kernels_.weights);
    input_bytes_ = input_bytes(kernels_.weights);
  }
  layers_.resize(shape_.num_layers());
  for (size_t l = 0; l < layers_.size(); ++l) {
    const GenerationWeights::Layer& w = weights_->layers[l];
    Layer& layer = layers_[l];
    layer.w = &w;
    layer.c.assign(static_cast<size_t>(max_streams) * layer.w->padded, 0.0f);
    layer.h.assign(layer.c.size(), 0.0f);
    if (kernels_.reference) continue;
    if (l == 0) layer.init.assign(static_cast<size_t>(max_streams) * 4 * layer.w->padded, 0.0f);
    layer.x.assign(2 * static_cast<size_t>(max_streams) * layer.w->rows * input_bytes_, 0);
  }
  int widest = 0;
  for (const Layer& layer : layers_) widest = std::max(widest, layer.w->padded);
  reorder_scratch_.assign(static_cast<size_t>(max_streams) * widest, 0.0f);
  sequence_width_ = widest;
  logits_.assign(static_cast<size_t>(max_streams) * shape_.num_logits(), 0.0f);
  if (kernels_.reference) return;
  padded_logits_ = weights_->padded_logits;
  top_x_.assign(static_cast<size_t>(max_streams) * layers_.back().w->padded * input_bytes_, 0);
  padded_out_.assign(static_cast<size_t>(max_streams) * padded_logits_, 0.0f);
}

GenerationNetwork::~GenerationNetwork() = default;

size_t GenerationNetwork::weight_bytes() const { return weights_->bytes(); }

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
    std::fill_n(layer.c.begin() + static_cast<size_t>(stream) * layer.w->padded, layer.w->padded,
                0.0f);
    std::fill_n(layer.h.begin() + static_cast<size_t>(stream) * layer.w->padded, layer.w->padded,
                0.0f);
  }
}

void GenerationNetwork::copy_stream(int from, int to) {
  PRNN_CHECK(from >= 0 && from < max_streams_ && to >= 0 && to < max_streams_);
  if (from == to) return;
  stale_from_ = 0;
  for (Layer& layer : layers_) {
    const size_t n = layer.w->padded;
    std::memcpy(&layer.c[to * n], &layer.c[from * n], n * sizeof(float));
    std::memcpy(&layer.h[to * n], &layer.h[from * n], n * sizeof(float));
  }
}

void GenerationNetwork::reorder_streams(std::span<const int> sources) {
  stale_from_ = 0;
  PRNN_CHECK(sources.size() <= static_cast<size_t>(max_streams_));
  for (Layer& layer : layers_) {
    const size_t n = layer.w->padded;
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
    PRNN_CHECK(at + 2 * layer.w->hidden <= state.size());
    std::copy_n(&state[at], layer.w->hidden,
                &layer.c[static_cast<size_t>(stream) * layer.w->padded]);
    std::copy_n(&state[at + layer.w->hidden], layer.w->hidden,
                &layer.h[static_cast<size_t>(stream) * layer.w->padded]);
    at += 2 * layer.w->hidden;
  }
  PRNN_CHECK(at == state.size());
}

std::span<const float> GenerationNetwork::cell_state(int layer, int stream) const {
  const Layer& l = layers_[layer];
  return {l.c.data() + static_cast<size_t>(stream) * l.w->padded, static_cast<size_t>(l.w->hidden)};
}

std::span<const float> GenerationNetwork::hidden_state(int layer, int stream) const {
  const Layer& l = layers_[layer];
  return {l.h.data() + static_cast<size_t>(stream) * l.w->padded, static_cast<size_t>(l.w->hidden)};
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
    const auto [first0, end0] = share(layers_[0].w->padded / kBlock);
    gather_inputs(num_streams, onehot.data(), dense.data(), layers_[0].init.data(), first0 * 64,
                  end0 * 64);
    for (int l = 0; l < shape_.num_layers(); ++l) {
      const auto [first, end] = share(layers_[l].w->padded / kBlock);
      fast_->lstm_blocks(step_args(l, num_streams), first, end);
      if (threads > 1) {
#pragma omp barrier
      }
    }
    const auto [first, end] = share(padded_logits_ / kBlock);
    fast_->dense_blocks(dense_args(num_streams, top_x_.data(), layers_.back().w->padded), first,
                        end);
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
    const int below = layer.w->rows - layer.w->padded;
    for (int b = first; b < end; ++b) {
      fast_->to_input(
          &layer.h[static_cast<size_t>(b) * layer.w->padded], layer.w->padded,
          input_at(layer_x(layer, parity_), static_cast<size_t>(b) * layer.w->rows + below));
    }
  }
  stale_from_ = std::max(stale_from_, end);
}

uint8_t* GenerationNetwork::layer_x(Layer& layer, int parity) const {
  return layer.x.data() + static_cast<size_t>(parity) * max_streams_ * layer.w->rows * input_bytes_;
}

// Layer l's step at the current parity p: reads x[p] = [h below (this step) | own h
// (previous step)], writes h' into its own x[1 − p] (next step) and into the layer
// above's x[p] (or the dense layer's input).
ProductArgs GenerationNetwork::step_args(int l, int num_streams) {
  Layer& layer = layers_[l];
  ProductArgs args =
      l == 0 ? recurrent_args(l, num_streams, layer.init.data(), 4 * layer.w->padded, parity_)
             : recurrent_args(l, num_streams, layer.w->gate_bias.data(), 0, parity_);
  const int below = layer.w->rows - layer.w->padded;
  args.h_out[0] = input_at(layer_x(layer, parity_ ^ 1), below);
  args.h_out_stride[0] = layer.w->rows;
  if (l + 1 < shape_.num_layers()) {
    args.h_out[1] = layer_x(layers_[l + 1], parity_);
    args.h_out_stride[1] = layers_[l + 1].w->rows;
  } else {
    args.h_out[1] = top_x_.data();
    args.h_out_stride[1] = layer.w->padded;
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
  args.bias = layers_[0].w->gate_bias.data();
  args.table = layers_[0].w->input_rows.data();
  args.width = 4 * layers_[0].w->padded;
  args.rows = rows;
  args.dense = dense;
  args.dense_size = input.dense_size;
  args.onehot = onehot;
  args.group_offset = weights_->group_offset.data();
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
  args.w = layer.w->packed.data();
  args.scale = layer.w->scale.data();
  args.k_pairs = layer.w->rows / 2;
  args.k_end = layer.w->rows / 2;
  args.num_streams = num_streams;
  args.x = layer_x(layer, parity);
  args.x_stride = layer.w->rows;
  args.init = init;
  args.init_stride = init_stride;
  args.c = layer.c.data();
  args.h = layer.h.data();
  args.hp = layer.w->padded;
  return args;
}

// Scratch of prime() (and of the fp32 step) for `rows` rows; grows only.
void GenerationNetwork::reserve_prime_rows(int rows) {
  int widest_gates = 0;
  for (const Layer& layer : layers_) widest_gates = std::max(widest_gates, 4 * layer.w->padded);
  const size_t gates = static_cast<size_t>(rows) * widest_gates;
  const size_t sequence = static_cast<size_t>(rows) * sequence_width_;
  if (prime_gates_.size() < gates) prime_gates_.resize(gates);
  if (fast_ != nullptr && prime_x_.size() < sequence * input_bytes_)
    prime_x_.resize(sequence * input_bytes_);
  if (fast_ == nullptr && prime_h_.size() < sequence) prime_h_.resize(sequence);
}

ProductArgs GenerationNetwork::dense_args(int num_streams, const void* top_h, int x_stride) {
  ProductArgs args;
  args.w = weights_->out_packed.data();
  args.scale = weights_->out_scale.data();
  args.k_pairs = args.k_end = layers_.back().w->padded / 2;
  args.num_streams = num_streams;
  args.x = top_h;
  args.x_stride = x_stride;
  args.init = weights_->out_bias.data();
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
  gather_inputs(rows, onehot, dense, prime_gates_.data(), 0, 4 * layers_[0].w->padded);
  for (int l = 0; l < shape_.num_layers(); ++l) {
    Layer& layer = layers_[l];
    const int below = l == 0 ? 0 : layers_[l - 1].w->padded;
    const int stride = 4 * layer.w->padded;
    if (l > 0) {  // input projection of all rows: (T·B, Hp below) · (Hp below, 4 Hp)
      ProductArgs args;
      args.w = layer.w->packed.data();
      args.scale = layer.w->scale.data();
      args.k_pairs = layer.w->rows / 2;
      args.k_end = below / 2;
      args.num_streams = rows;
      args.x = prime_x_.data();
      args.x_stride = sequence_width_;
      args.init = layer.w->gate_bias.data();
      args.gates = prime_gates_.data();
      args.gates_stride = stride;
      for_blocks(layer.w->padded / kBlock, 1,
                 [&](int begin, int end) { fast_->gate_blocks(args, begin, end); });
    }
    int parity = parity_;
    for (int t = 0; t < steps; ++t, parity ^= 1) {  // the recurrent product, step by step
      ProductArgs args = recurrent_args(
          l, num_streams, &prime_gates_[static_cast<size_t>(t) * num_streams * stride], stride,
          parity);
      args.k_begin = below / 2;
      args.h_out[0] = input_at(layer_x(layer, parity ^ 1), below);
      args.h_out_stride[0] = layer.w->rows;
      args.h_out[1] =
          input_at(prime_x_.data(), static_cast<size_t>(t) * num_streams * sequence_width_);
      args.h_out_stride[1] = sequence_width_;
      for_blocks(layer.w->padded / kBlock, num_streams == 1 ? 4 : 1,
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
    const int hidden = layer.w->hidden, gates = 4 * hidden, inputs = shape_.layer_input_size(l);
    for (int r = 0; r < rows; ++r) {  // input projection of every row
      float* g = &prime_gates_[static_cast<size_t>(r) * gates];
      std::copy(layer.w->bias.begin(), layer.w->bias.end(), g);
      if (l > 0) {
        accumulate_rows(&prime_h_[static_cast<size_t>(r) * sequence_width_], inputs,
                        layer.w->kernel.data(), gates, g);
        continue;
      }
      accumulate_rows(&dense[static_cast<size_t>(r) * input.dense_size], input.dense_size,
                      layer.w->kernel.data(), gates, g);
      for (int k = 0, offset = input.dense_size; k < input.num_groups(); ++k) {
        const int index = onehot[static_cast<size_t>(r) * input.num_groups() + k];
        PRNN_CHECK(index < input.onehot_sizes[k]);
        if (index >= 0) {
          const float one = 1.0f;
          accumulate_rows(&one, 1, &layer.w->kernel[static_cast<size_t>(offset + index) * gates],
                          gates, g);
        }
        offset += input.onehot_sizes[k];
      }
    }
    const float* recurrent = &layer.w->kernel[static_cast<size_t>(inputs) * gates];
    for (int r = 0; r < rows; ++r) {  // row r = step r / B of stream r % B
      const int b = r % num_streams;
      float* g = &prime_gates_[static_cast<size_t>(r) * gates];
      float* c = &layer.c[static_cast<size_t>(b) * layer.w->padded];
      float* h = &layer.h[static_cast<size_t>(b) * layer.w->padded];
      accumulate_rows(h, hidden, recurrent, gates, g);
      for (int u = 0; u < hidden; ++u) {
        const float i = g[u], j = g[hidden + u], f = g[2 * hidden + u], o = g[3 * hidden + u];
        c[u] = c[u] * sigmoid(f + weights_->forget_bias) + sigmoid(i) * std::tanh(j);
        h[u] = std::tanh(c[u]) * sigmoid(o);
      }
      std::copy_n(h, hidden, &prime_h_[static_cast<size_t>(r) * sequence_width_]);
    }
  }
  if (logits == nullptr) return;
  const int vocab = shape_.num_logits(), top = layers_.back().w->hidden;
  for (int r = first_logit_row; r < rows; ++r) {
    float* out = &logits[static_cast<size_t>(r - first_logit_row) * vocab];
    std::copy(weights_->out_bias.begin(), weights_->out_bias.end(), out);
    accumulate_rows(&prime_h_[static_cast<size_t>(r) * sequence_width_], top,
                    weights_->out_weights.data(), vocab, out);
  }
}

}  // namespace prnn
