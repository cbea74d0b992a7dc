#include "nn/training_step.h"

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "base/error.h"
#include "nn/lstm_cell.h"
#include "nn/matmul.h"
#include "nn/onehot_rows.h"
#include "nn/op_buffer.h"
#include "nn/per_isa.h"
#include "nn/softmax_xent.h"
#include "nn/thread_range.h"

namespace prnn {
namespace {

// Row-major (rows × cols) view, optionally read as its transpose.
MatrixView view(int64_t rows, int64_t cols, ElementType type, int64_t ld = 0) {
  return {rows, cols, ld, false, type};
}
// The logical (rows × cols) matrix whose memory is its transpose, row-major with ld.
MatrixView transposed(int64_t rows, int64_t cols, ElementType type, int64_t ld) {
  return {rows, cols, ld, true, type};
}

// Weights as product operands: the fp32 parameters themselves, or a bf16 copy.
class WeightOperand {
 public:
  explicit WeightOperand(ElementType type) : copy_(type) {}
  // rows × cols block starting at `source` with leading dimension ld.
  void update(const float* source, int64_t rows, int64_t cols, int64_t ld) {
    if (copy_.type() == ElementType::kF32) {
      pointer_ = source;
      ld_ = ld;
      return;
    }
    copy_.resize(rows * cols);
    uint16_t* out = static_cast<uint16_t*>(copy_.at(0));
    for (int64_t r = 0; r < rows; ++r) convert_to_bf16(source + r * ld, out + r * cols, cols);
    pointer_ = out;
    ld_ = cols;
  }
  const void* data() const { return pointer_; }
  int64_t ld() const { return ld_; }

 private:
  OpBuffer copy_;
  const void* pointer_ = nullptr;
  int64_t ld_ = 0;
};

// Columns [c0, c1) of column_sums, compiled per instruction set (nn/per_isa.h).
[[gnu::always_inline]] inline void column_sums_chunk_body(const float* x, int64_t N, int V,
                                                          float* out, int64_t c0, int64_t c1) {
  std::fill(out + c0, out + c1, 0.0f);
  for (int64_t n = 0; n < N; ++n) {
    const float* row = x + n * V;
#pragma omp simd
    for (int64_t c = c0; c < c1; ++c) out[c] += row[c];
  }
}
PRNN_PER_ISA(void, column_sums_chunk,
             (const float* x, int64_t N, int V, float* out, int64_t c0, int64_t c1),
             (x, N, V, out, c0, c1))

// Per-column sums of x (N, V) into out (V) (overwrites); each thread owns a range of columns.
void column_sums(const float* x, int64_t N, int V, float* out) {
  parallel_chunks(V, kFloatsPerLine,
                  [&](int64_t c0, int64_t c1) { column_sums_chunk(x, N, V, out, c0, c1); });
}

}  // namespace

struct TrainingStep::Impl {
  struct Layer {
    int I = 0, H = 0;
    std::vector<float> gates;  // (T, B, 4H): pre-activations, then activations
    std::vector<float> cell;   // (T + 1, B, H), slot 0 = initial state 0
    OpBuffer hidden;           // (T + 1, B, H), slot 0 = 0
    OpBuffer dropped;          // (T, B, H) output after dropout (only when dropout is on)
    WeightOperand input_weights{ElementType::kF32};  // rows [0, I) (layer 0: dense rows)
    Matmul input_forward;                            // gates = x·W_x + b        (N×I)·(I×4H)
    Matmul recurrent_forward;   // gates_t += h_{t−1}·W_h    (B×H)·(H×4H), packed
    Matmul recurrent_backward;  // dh_{t−1} = dz_t·W_hᵀ      (B×4H)·(4H×H), packed
    Matmul grad_input;          // dW_x = xᵀ·dz              (I×N)·(N×4H)
    Matmul grad_recurrent;      // dW_h = h_prevᵀ·dz         (H×N)·(N×4H)
    Matmul input_backward;      // dx = dz·W_xᵀ              (N×4H)·(4H×I)

    const void* output(int64_t position) const {  // this layer's output at position n
      return dropped_used ? dropped.at(position * H) : hidden.at((position + batch) * H);
    }
    bool dropped_used = false;
    int64_t batch = 0;
  };

  NetworkShape shape;
  TrainingOptions options;
  Precision precision;
  ElementType op;
  int B = 0, T = 0;  // shape of the current batch
  std::vector<Layer> layers;
  OpBuffer dense_input;       // (N, D)
  std::vector<float> logits;  // (N, V); after the loss: d loss / d logits
  OpBuffer dlogits;           // (N, V) operand copy of the gradient (bf16 only)
  WeightOperand fc_weights{ElementType::kF32};
  Matmul logits_forward;            // logits = top·W_fc + b   (N×H)·(H×V)
  Matmul grad_fc;                   // dW_fc = topᵀ·dlogits    (H×N)·(N×V)
  Matmul fc_backward;               // dtop = dlogits·W_fcᵀ    (N×V)·(V×H)
  OpBuffer dz;                      // (T, B, 4H)
  std::vector<float> dh;            // (T, B, H): d loss / d (this layer's output)
  std::vector<float> dh_next, dc;   // (B, H)
  std::vector<float> bias_scratch;  // (threads, 4H) for lstm_cell_backward

  Impl(const NetworkShape& s, const TrainingOptions& o)
      : shape(s), options(o), precision(resolve_precision(o.precision)) {
    validate_network_shape(shape);
    PRNN_CHECK(options.no_event_labels.empty() ||
               static_cast<int>(options.no_event_labels.size()) == shape.num_heads());
    op = precision == Precision::kBf16 ? ElementType::kBf16 : ElementType::kF32;
    layers.resize(shape.num_layers());
    for (int k = 0; k < shape.num_layers(); ++k) {
      Layer& l = layers[k];
      l.I = k == 0 ? shape.input.dense_size : shape.layer_input_size(k);
      l.H = shape.layer_sizes[k];
      l.hidden.set_type(op);
      l.dropped.set_type(op);
      l.input_weights = WeightOperand(op);
    }
    dense_input.set_type(op);
    dlogits.set_type(op);
    dz.set_type(op);
    fc_weights = WeightOperand(op);
  }

  void prepare(const Batch& batch, bool dropout) {
    PRNN_CHECK(batch.layout == shape.input);
    PRNN_CHECK(batch.num_heads == shape.num_heads());
    B = batch.batch_size;
    T = batch.max_length;
    const int64_t N = static_cast<int64_t>(B) * T;
    const int V = shape.num_logits();
    int max_h = 0, max_g = 0;
    for (int k = 0; k < shape.num_layers(); ++k) {
      Layer& l = layers[k];
      const int G = 4 * l.H;
      max_h = std::max({max_h, l.H, l.I});
      max_g = std::max(max_g, G);
      if (static_cast<int64_t>(l.gates.size()) < N * G) l.gates.assign(N * G, 0.0f);
      if (static_cast<int64_t>(l.cell.size()) < (N + B) * l.H) l.cell.assign((N + B) * l.H, 0.0f);
      l.hidden.resize((N + B) * l.H);
      std::fill_n(l.cell.begin(), static_cast<int64_t>(B) * l.H, 0.0f);
      std::memset(l.hidden.at(0), 0, static_cast<size_t>(B) * l.H * l.hidden.element_bytes());
      l.dropped_used = dropout;
      l.batch = B;
      if (dropout) l.dropped.resize(N * l.H);
      // Products. x is the layer below's output (or the dense input for layer 0).
      if (k > 0 || l.I > 0) {
        l.input_forward.init(view(N, l.I, op), view(l.I, G, op, 0),
                             {.accumulate = k == 0, .with_bias = k > 0});
        l.grad_input.init(transposed(l.I, N, op, l.I), view(N, G, op), {});
      }
      if (k > 0) l.input_backward.init(view(N, G, op), transposed(G, l.I, op, 0), {});
      l.recurrent_forward.init(view(B, l.H, op), view(l.H, G, op),
                               {.accumulate = true, .packed_b = true});
      l.recurrent_backward.init(view(B, G, op), view(G, l.H, op), {.packed_b = true});
      l.grad_recurrent.init(transposed(l.H, N, op, l.H), view(N, G, op), {});
    }
    if (shape.input.dense_size > 0) dense_input.resize(N * shape.input.dense_size);
    if (static_cast<int64_t>(logits.size()) < N * V) logits.assign(N * V, 0.0f);
    if (op == ElementType::kBf16) dlogits.resize(N * V);
    dz.resize(N * max_g);
    if (static_cast<int64_t>(dh.size()) < N * max_h) dh.assign(N * max_h, 0.0f);
    if (static_cast<int64_t>(dh_next.size()) < int64_t{B} * max_h) {
      dh_next.assign(int64_t{B} * max_h, 0.0f);
      dc.assign(int64_t{B} * max_h, 0.0f);
    }
    const size_t scratch = static_cast<size_t>(omp_get_max_threads()) * max_g;
    if (bias_scratch.size() < scratch) bias_scratch.assign(scratch, 0.0f);
    const int H_top = shape.top_size();
    logits_forward.init(view(N, H_top, op), view(H_top, V, op), {.with_bias = true});
    grad_fc.init(transposed(H_top, N, op, H_top), view(N, V, op), {});
    fc_backward.init(view(N, V, op), transposed(V, H_top, op, 0), {});
  }

  // Products' weight operands from the current parameters.
  void load_weights(const ParamArena& params) {
    for (int k = 0; k < shape.num_layers(); ++k) {
      Layer& l = layers[k];
      const int G = 4 * l.H;
      const float* kernel = params.view(params.lstm_kernel(k)).data();
      const int input_rows = shape.layer_input_size(k);
      const float* recurrent = kernel + static_cast<int64_t>(input_rows) * G;
      l.recurrent_forward.pack_b(recurrent, view(l.H, G, ElementType::kF32));
      l.recurrent_backward.pack_b(recurrent, transposed(G, l.H, ElementType::kF32, G));
      if (l.I > 0) l.input_weights.update(kernel, l.I, G, G);
    }
    fc_weights.update(params.view(params.dense_weights()).data(), shape.top_size(),
                      shape.num_logits(), shape.num_logits());
  }

  BatchStats forward(const ParamArena& params, const Batch& batch, uint64_t seed, bool grads,
                     int64_t gradient_divisor = 0) {
    const int64_t N = static_cast<int64_t>(B) * T;
    const int D = shape.input.dense_size;
    load_weights(params);
    for (int k = 0; k < shape.num_layers(); ++k) {
      Layer& l = layers[k];
      const int G = 4 * l.H;
      const float* bias = params.view(params.lstm_bias(k)).data();
      if (k == 0) {
        gather_onehot_rows(shape.input, params.view(params.lstm_kernel(0)).data(), bias, G,
                           batch.onehot.data(), N, l.gates.data());
        if (D > 0) {
          if (op == ElementType::kBf16) {
            convert_to_bf16(batch.dense.data(), static_cast<uint16_t*>(dense_input.at(0)), N * D);
          } else {
            std::copy_n(batch.dense.data(), N * D, static_cast<float*>(dense_input.at(0)));
          }
          l.input_forward.run(dense_input.at(0), l.input_weights.data(), l.gates.data());
        }
      } else {
        l.input_forward.run(layers[k - 1].output(0), l.input_weights.data(), l.gates.data(), bias);
      }
      const DropoutMask mask =
          l.dropped_used ? make_dropout_mask(options.dropout_keep_prob, seed, k) : DropoutMask{};
      const int64_t step = static_cast<int64_t>(B) * l.H;
      for (int t = 0; t < T; ++t) {
        float* gates_t = l.gates.data() + t * step * 4;
        if (t > 0) l.recurrent_forward.run(l.hidden.at(t * step), nullptr, gates_t);
        CellForward cell{.batch = B,
                         .hidden = l.H,
                         .gates = gates_t,
                         .c_prev = l.cell.data() + t * step,
                         .c = l.cell.data() + (t + 1) * step,
                         .h = l.hidden.at((t + 1) * step),
                         .output = l.dropped_used ? l.dropped.at(t * step) : nullptr,
                         .dropout = mask,
                         .dropout_index = static_cast<uint32_t>(t * step)};
        lstm_cell_forward(cell, op);
      }
    }
    logits_forward.run(layers.back().output(0), fc_weights.data(), logits.data(),
                       params.view(params.dense_biases()).data());
    SoftmaxXentArgs loss{.rows = N,
                         .head_sizes = shape.head_sizes,
                         .no_event_labels = options.no_event_labels,
                         .labels = batch.labels.data(),
                         .logits = logits.data(),
                         .gradients = grads,
                         .gradient_divisor = gradient_divisor};
    return softmax_cross_entropy(loss);
  }

  void backward(const Batch& batch, uint64_t seed, ParamArena& grads,
                const std::function<void(std::span<float>)>& on_ready) {
    auto report = [&](const TensorSpec& first, const TensorSpec& last) {
      if (!on_ready) return;
      on_ready(std::span<float>(grads.values.data() + first.offset,
                                last.offset + last.size() - first.offset));
    };
    const int64_t N = static_cast<int64_t>(B) * T;
    const int V = shape.num_logits();
    const int H_top = shape.top_size();
    // Dense layer.
    const void* dlogits_op = logits.data();
    if (op == ElementType::kBf16) {
      convert_to_bf16(logits.data(), static_cast<uint16_t*>(dlogits.at(0)), N * V);
      dlogits_op = dlogits.at(0);
    }
    column_sums(logits.data(), N, V, grads.view(grads.dense_biases()).data());
    grad_fc.run(layers.back().output(0), dlogits_op, grads.view(grads.dense_weights()).data());
    report(grads.dense_weights(), grads.dense_biases());
    fc_backward.run(dlogits_op, fc_weights.data(), dh.data());
    // LSTM layers, top to bottom; dh holds d loss / d (layer output).
    for (int k = shape.num_layers() - 1; k >= 0; --k) {
      Layer& l = layers[k];
      const int G = 4 * l.H;
      const int64_t step = static_cast<int64_t>(B) * l.H;
      float* dkernel = grads.view(grads.lstm_kernel(k)).data();
      float* dbias = grads.view(grads.lstm_bias(k)).data();
      std::fill_n(dbias, G, 0.0f);
      std::fill_n(dc.begin(), step, 0.0f);
      const DropoutMask mask =
          l.dropped_used ? make_dropout_mask(options.dropout_keep_prob, seed, k) : DropoutMask{};
      for (int t = T - 1; t >= 0; --t) {
        CellBackward cell{.batch = B,
                          .hidden = l.H,
                          .gates = l.gates.data() + t * step * 4,
                          .c = l.cell.data() + (t + 1) * step,
                          .c_prev = l.cell.data() + t * step,
                          .dh_output = dh.data() + t * step,
                          .dh_next = t < T - 1 ? dh_next.data() : nullptr,
                          .dc = dc.data(),
                          .dz = dz.at(t * step * 4),
                          .dbias = dbias,
                          .bias_scratch = bias_scratch.data(),
                          .dropout = mask,
                          .dropout_index = static_cast<uint32_t>(t * step)};
        lstm_cell_backward(cell, op);
        if (t > 0) l.recurrent_backward.run(dz.at(t * step * 4), nullptr, dh_next.data());
      }
      const int input_rows = shape.layer_input_size(k);
      l.grad_recurrent.run(l.hidden.at(0), dz.at(0), dkernel + int64_t{input_rows} * G);
      if (k > 0) {
        l.grad_input.run(layers[k - 1].output(0), dz.at(0), dkernel);
        l.input_backward.run(dz.at(0), l.input_weights.data(), dh.data());
      } else {
        if (l.I > 0) l.grad_input.run(dense_input.at(0), dz.at(0), dkernel);
        float* onehot_rows = dkernel + int64_t{l.I} * G;
        std::fill_n(onehot_rows, int64_t{input_rows - l.I} * G, 0.0f);
        scatter_onehot_rows(shape.input, dz.at(0), op, G, batch.onehot.data(), N, dkernel);
      }
      report(grads.lstm_kernel(k), grads.lstm_bias(k));
    }
    (void)H_top;
  }
};

TrainingStep::TrainingStep(const NetworkShape& shape, const TrainingOptions& options)
    : impl_(std::make_unique<Impl>(shape, options)) {}
TrainingStep::~TrainingStep() = default;

BatchStats TrainingStep::compute_gradients(const ParamArena& params, const Batch& batch,
                                           uint64_t dropout_seed, ParamArena& grads,
                                           const GradientOptions& gradient_options) {
  PRNN_CHECK(params.same_layout(grads) && params.shape() == impl_->shape);
  impl_->prepare(batch, impl_->options.dropout_keep_prob < 1.0f);
  BatchStats stats = impl_->forward(params, batch, dropout_seed, true, gradient_options.divisor);
  impl_->backward(batch, dropout_seed, grads, gradient_options.on_ready);
  return stats;
}

BatchStats TrainingStep::evaluate(const ParamArena& params, const Batch& batch) {
  PRNN_CHECK(params.shape() == impl_->shape);
  impl_->prepare(batch, false);
  return impl_->forward(params, batch, 0, false);
}

Precision TrainingStep::precision() const { return impl_->precision; }

const std::vector<float>& TrainingStep::last_logits() const { return impl_->logits; }

}  // namespace prnn
