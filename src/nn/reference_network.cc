#include "nn/reference_network.h"

#include <cmath>

#include "nn/dropout.h"

namespace prnn {
namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct LayerTrace {                      // everything of one layer at every (t, b), flat vectors
  std::vector<double> x;                 // (T, B, I) the layer's full input vector
  std::vector<double> i, j, f, o, c, h;  // (T, B, H)
  std::vector<double> out;               // (T, B, H) after dropout
};

}  // namespace

ReferenceResult reference_forward_backward(const ParamArena& params, const Batch& batch,
                                           float keep_prob, uint64_t seed) {
  const NetworkShape& shape = params.shape();
  const int T = batch.max_length, B = batch.batch_size, L = shape.num_layers();
  const int V = shape.num_logits(), NH = shape.num_heads();
  const InputLayout& layout = shape.input;
  std::vector<LayerTrace> trace(L);
  auto at = [&](int t, int b, int width, int u) { return (int64_t{t} * B + b) * width + u; };

  // Forward.
  for (int k = 0; k < L; ++k) {
    const int I = shape.layer_input_size(k), H = shape.layer_sizes[k], G = 4 * H;
    const auto w = params.view(params.lstm_kernel(k));
    const auto bias = params.view(params.lstm_bias(k));
    LayerTrace& lt = trace[k];
    lt.x.assign(int64_t{T} * B * I, 0.0);
    for (auto* v : {&lt.i, &lt.j, &lt.f, &lt.o, &lt.c, &lt.h, &lt.out}) {
      v->assign(int64_t{T} * B * H, 0.0);
    }
    const DropoutMask mask =
        keep_prob < 1.0f ? make_dropout_mask(keep_prob, seed, k) : DropoutMask{};
    for (int t = 0; t < T; ++t) {
      for (int b = 0; b < B; ++b) {
        if (k == 0) {  // materialise the one-hot input vector
          for (int d = 0; d < layout.dense_size; ++d) {
            lt.x[at(t, b, I, d)] = batch.dense[at(t, b, layout.dense_size, d)];
          }
          int row = layout.dense_size;
          for (int g = 0; g < layout.num_groups(); ++g) {
            const int index = batch.onehot[at(t, b, layout.num_groups(), g)];
            if (index >= 0) lt.x[at(t, b, I, row + index)] = 1.0;
            row += layout.onehot_sizes[g];
          }
        } else {
          for (int u = 0; u < I; ++u) lt.x[at(t, b, I, u)] = trace[k - 1].out[at(t, b, I, u)];
        }
        for (int u = 0; u < H; ++u) {
          double z[4];
          for (int q = 0; q < 4; ++q) {
            const int col = q * H + u;
            double sum = bias[col];
            for (int r = 0; r < I; ++r) sum += lt.x[at(t, b, I, r)] * w[int64_t{r} * G + col];
            if (t > 0) {
              for (int r = 0; r < H; ++r) {
                sum += lt.h[at(t - 1, b, H, r)] * w[int64_t{I + r} * G + col];
              }
            }
            z[q] = sum;
          }
          const int64_t p = at(t, b, H, u);
          lt.i[p] = sigmoid(z[0]);
          lt.j[p] = std::tanh(z[1]);
          lt.f[p] = sigmoid(z[2] + 1.0);
          lt.o[p] = sigmoid(z[3]);
          const double c_prev = t > 0 ? lt.c[at(t - 1, b, H, u)] : 0.0;
          lt.c[p] = c_prev * lt.f[p] + lt.i[p] * lt.j[p];
          lt.h[p] = std::tanh(lt.c[p]) * lt.o[p];
          lt.out[p] = mask.active() ? lt.h[p] * mask.scale(static_cast<uint32_t>(p)) : lt.h[p];
        }
      }
    }
  }
  ReferenceResult result;
  result.grads = ParamArena(shape);
  const int Htop = shape.top_size();
  const auto wfc = params.view(params.dense_weights());
  const auto bfc = params.view(params.dense_biases());
  result.logits.assign(int64_t{T} * B * V, 0.0);
  std::vector<double> dlogits(result.logits.size(), 0.0);
  int64_t predictions = 0;
  for (int32_t label : batch.labels) predictions += label >= 0;
  const std::vector<double>& top = trace[L - 1].out;
  double ce_sum = 0;
  for (int t = 0; t < T; ++t) {
    for (int b = 0; b < B; ++b) {
      double* z = &result.logits[at(t, b, V, 0)];
      for (int v = 0; v < V; ++v) {
        double sum = bfc[v];
        for (int r = 0; r < Htop; ++r) sum += top[at(t, b, Htop, r)] * wfc[int64_t{r} * V + v];
        z[v] = sum;
      }
      int offset = 0;
      for (int head = 0; head < NH; ++head) {
        const int size = shape.head_sizes[head];
        const int label = batch.labels[at(t, b, NH, head)];
        if (label >= 0) {
          double norm = 0;
          for (int v = 0; v < size; ++v) norm += std::exp(z[offset + v]);
          ce_sum += std::log(norm) - z[offset + label];
          for (int v = 0; v < size; ++v) {
            dlogits[at(t, b, V, offset + v)] =
                (std::exp(z[offset + v]) / norm - (v == label ? 1.0 : 0.0)) / predictions;
          }
        }
        offset += size;
      }
    }
  }
  result.loss = ce_sum / predictions;

  // Backward.
  ParamArena& g = result.grads;
  auto dwfc = g.view(g.dense_weights());
  auto dbfc = g.view(g.dense_biases());
  std::vector<double> d_out(int64_t{T} * B * Htop, 0.0);  // d loss / d (top layer output)
  for (int64_t n = 0; n < int64_t{T} * B; ++n) {
    for (int v = 0; v < V; ++v) {
      const double dz = dlogits[n * V + v];
      dbfc[v] += static_cast<float>(dz);
      for (int r = 0; r < Htop; ++r) {
        dwfc[int64_t{r} * V + v] += static_cast<float>(top[n * Htop + r] * dz);
        d_out[n * Htop + r] += wfc[int64_t{r} * V + v] * dz;
      }
    }
  }
  for (int k = L - 1; k >= 0; --k) {
    const int I = shape.layer_input_size(k), H = shape.layer_sizes[k], G = 4 * H;
    const auto w = params.view(params.lstm_kernel(k));
    auto dw = g.view(g.lstm_kernel(k));
    auto db = g.view(g.lstm_bias(k));
    const LayerTrace& lt = trace[k];
    const DropoutMask mask =
        keep_prob < 1.0f ? make_dropout_mask(keep_prob, seed, k) : DropoutMask{};
    std::vector<double> d_in(int64_t{T} * B * I, 0.0);
    std::vector<double> dh_next(int64_t{B} * H, 0.0), dc_next(int64_t{B} * H, 0.0);
    std::vector<double> dz(G);
    for (int t = T - 1; t >= 0; --t) {
      std::vector<double> dh_prev(int64_t{B} * H, 0.0);
      for (int b = 0; b < B; ++b) {
        for (int u = 0; u < H; ++u) {
          const int64_t p = at(t, b, H, u);
          const double drop = mask.active() ? mask.scale(static_cast<uint32_t>(p)) : 1.0;
          const double dh = d_out[p] * drop + dh_next[int64_t{b} * H + u];
          const double tc = std::tanh(lt.c[p]);
          const double dc = dc_next[int64_t{b} * H + u] + dh * lt.o[p] * (1 - tc * tc);
          const double c_prev = t > 0 ? lt.c[at(t - 1, b, H, u)] : 0.0;
          dz[u] = dc * lt.j[p] * lt.i[p] * (1 - lt.i[p]);
          dz[H + u] = dc * lt.i[p] * (1 - lt.j[p] * lt.j[p]);
          dz[2 * H + u] = dc * c_prev * lt.f[p] * (1 - lt.f[p]);
          dz[3 * H + u] = dh * tc * lt.o[p] * (1 - lt.o[p]);
          dc_next[int64_t{b} * H + u] = dc * lt.f[p];
        }
        for (int col = 0; col < G; ++col) {
          db[col] += static_cast<float>(dz[col]);
          for (int r = 0; r < I; ++r) {
            dw[int64_t{r} * G + col] += static_cast<float>(lt.x[at(t, b, I, r)] * dz[col]);
            d_in[at(t, b, I, r)] += w[int64_t{r} * G + col] * dz[col];
          }
          if (t > 0) {
            for (int r = 0; r < H; ++r) {
              dw[int64_t{I + r} * G + col] +=
                  static_cast<float>(lt.h[at(t - 1, b, H, r)] * dz[col]);
              dh_prev[int64_t{b} * H + r] += w[int64_t{I + r} * G + col] * dz[col];
            }
          }
        }
      }
      dh_next = dh_prev;
    }
    d_out = d_in;
  }
  return result;
}

}  // namespace prnn
