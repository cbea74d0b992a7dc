#include "nn/lstm_cell.h"

#include <omp.h>

#include <algorithm>

#include "nn/bf16.h"
#include "nn/fast_math.h"
#include "nn/per_isa.h"
#include "nn/thread_range.h"

namespace prnn {
namespace {

inline void store(float* out, int64_t i, float x) { out[i] = x; }
inline void store(uint16_t* out, int64_t i, float x) { out[i] = bf16_from_float(x); }

// Units [j0, j1) of every row (B × H, gate rows 4H). The inner loops have no branches
// (the optional parts are template parameters) so that they vectorise; they run inside
// the caller's parallel region but are compiled per instruction set (PRNN_PER_ISA
// below), which an OpenMP-outlined region body would not be.
template <class Op, bool kDropout>
[[gnu::always_inline]] inline void forward_units(const CellForward& s, int j0, int j1) {
  const int H = s.hidden;
  for (int b = 0; b < s.batch; ++b) {
    const int64_t row = static_cast<int64_t>(b) * H;
    float* z = s.gates + 4 * row;
    const float* cp = s.c_prev + row;
    float* c = s.c + row;
    Op* h_out = static_cast<Op*>(s.h) + row;
    Op* output = static_cast<Op*>(s.output) + row;
#pragma omp simd
    for (int j = j0; j < j1; ++j) {
      const float i = fast_sigmoid(z[j]);
      const float g = fast_tanh(z[H + j]);
      const float f = fast_sigmoid(z[2 * H + j] + 1.0f);
      const float o = fast_sigmoid(z[3 * H + j]);
      const float cell = cp[j] * f + i * g;
      const float h = fast_tanh(cell) * o;
      z[j] = i;
      z[H + j] = g;
      z[2 * H + j] = f;
      z[3 * H + j] = o;
      c[j] = cell;
      store(h_out, j, h);
      if constexpr (kDropout) {
        store(output, j, h * s.dropout.scale(s.dropout_index + static_cast<uint32_t>(row + j)));
      }
    }
  }
}

// Rows [b0, b1) over all units; the bias-gradient sums of these rows go to
// bias_sum (4H, overwritten). Rows, not units, are split between threads here: the
// gates of a step are read back long after the forward wrote them, and a contiguous
// block per thread streams from memory far better than 4B short segments.
template <class Op, bool kDropout, bool kNext>
[[gnu::always_inline]] inline void backward_rows(const CellBackward& s, int b0, int b1,
                                                 float* bias_sum) {
  const int H = s.hidden;
  std::fill(bias_sum, bias_sum + 4 * H, 0.0f);
  for (int b = b0; b < b1; ++b) {
    const int64_t row = static_cast<int64_t>(b) * H;
    const float* a = s.gates + 4 * row;
    const float* c = s.c + row;
    const float* cp = s.c_prev + row;
    const float* dh_output = s.dh_output + row;
    const float* dh_next = s.dh_next + row;
    float* dc = s.dc + row;
    Op* dz = static_cast<Op*>(s.dz) + 4 * row;
#pragma omp simd
    for (int j = 0; j < H; ++j) {
      float dh = dh_output[j];
      if constexpr (kDropout)
        dh *= s.dropout.scale(s.dropout_index + static_cast<uint32_t>(row + j));
      if constexpr (kNext) dh += dh_next[j];
      const float i = a[j], g = a[H + j], f = a[2 * H + j], o = a[3 * H + j];
      const float tc = fast_tanh(c[j]);
      const float dcell = dc[j] + dh * o * (1.0f - tc * tc);
      const float d_i = dcell * g * i * (1.0f - i);
      const float d_g = dcell * i * (1.0f - g * g);
      const float d_f = dcell * cp[j] * f * (1.0f - f);
      const float d_o = dh * tc * o * (1.0f - o);
      dc[j] = dcell * f;
      store(dz, j, d_i);
      store(dz, H + j, d_g);
      store(dz, 2 * H + j, d_f);
      store(dz, 3 * H + j, d_o);
      bias_sum[j] += d_i;
      bias_sum[H + j] += d_g;
      bias_sum[2 * H + j] += d_f;
      bias_sum[3 * H + j] += d_o;
    }
  }
}

template <class Op>
[[gnu::always_inline]] inline void forward_dispatch(const CellForward& s, int j0, int j1) {
  s.output ? forward_units<Op, true>(s, j0, j1) : forward_units<Op, false>(s, j0, j1);
}

template <class Op>
[[gnu::always_inline]] inline void backward_dispatch(const CellBackward& s, int b0, int b1,
                                                     float* bias_sum) {
  if (s.dropout.active()) {
    s.dh_next ? backward_rows<Op, true, true>(s, b0, b1, bias_sum)
              : backward_rows<Op, true, false>(s, b0, b1, bias_sum);
  } else {
    s.dh_next ? backward_rows<Op, false, true>(s, b0, b1, bias_sum)
              : backward_rows<Op, false, false>(s, b0, b1, bias_sum);
  }
}

[[gnu::always_inline]] inline void forward_f32_body(const CellForward& s, int j0, int j1) {
  forward_dispatch<float>(s, j0, j1);
}
[[gnu::always_inline]] inline void forward_bf16_body(const CellForward& s, int j0, int j1) {
  forward_dispatch<uint16_t>(s, j0, j1);
}
[[gnu::always_inline]] inline void backward_f32_body(const CellBackward& s, int b0, int b1,
                                                     float* bias_sum) {
  backward_dispatch<float>(s, b0, b1, bias_sum);
}
[[gnu::always_inline]] inline void backward_bf16_body(const CellBackward& s, int b0, int b1,
                                                      float* bias_sum) {
  backward_dispatch<uint16_t>(s, b0, b1, bias_sum);
}
PRNN_PER_ISA(void, forward_f32, (const CellForward& s, int j0, int j1), (s, j0, j1))
PRNN_PER_ISA(void, forward_bf16, (const CellForward& s, int j0, int j1), (s, j0, j1))
PRNN_PER_ISA(void, backward_f32, (const CellBackward& s, int b0, int b1, float* bias_sum),
             (s, b0, b1, bias_sum))
PRNN_PER_ISA(void, backward_bf16, (const CellBackward& s, int b0, int b1, float* bias_sum),
             (s, b0, b1, bias_sum))

}  // namespace

void lstm_cell_forward(const CellForward& step, ElementType op_type) {
#pragma omp parallel
  {
    // This thread's share of the H units, in whole cache lines.
    const ItemRange r = thread_range(step.hidden, kFloatsPerLine);
    const int j0 = static_cast<int>(r.begin), j1 = static_cast<int>(r.end);
    op_type == ElementType::kBf16 ? forward_bf16(step, j0, j1) : forward_f32(step, j0, j1);
  }
}

void lstm_cell_backward(const CellBackward& step, ElementType op_type) {
  const int G = 4 * step.hidden;
#pragma omp parallel
  {
    const int threads = omp_get_num_threads(), id = omp_get_thread_num();
    const int b0 = step.batch * id / threads, b1 = step.batch * (id + 1) / threads;
    float* bias_sum = step.bias_scratch + static_cast<int64_t>(id) * G;
    op_type == ElementType::kBf16 ? backward_bf16(step, b0, b1, bias_sum)
                                  : backward_f32(step, b0, b1, bias_sum);
#pragma omp barrier
    // dbias += the threads' sums, in thread order (deterministic for a thread count).
    const int u0 = G * id / threads, u1 = G * (id + 1) / threads;
    for (int t = 0; t < threads; ++t) {
      const float* sum = step.bias_scratch + static_cast<int64_t>(t) * G;
      for (int u = u0; u < u1; ++u) step.dbias[u] += sum[u];
    }
  }
}

}  // namespace prnn
