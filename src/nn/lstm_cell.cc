#include "nn/lstm_cell.h"

#include <omp.h>

#include <algorithm>

#include "nn/bf16.h"
#include "nn/fast_math.h"

namespace prnn {
namespace {

inline void store(float* out, int64_t i, float x) { out[i] = x; }
inline void store(uint16_t* out, int64_t i, float x) { out[i] = bf16_from_float(x); }

// This thread's share [begin, end) of H units, in multiples of 16 (one AVX-512 register).
inline void unit_range(int hidden, int* begin, int* end) {
  const int threads = omp_get_num_threads(), id = omp_get_thread_num();
  const int blocks = (hidden + 15) / 16;
  *begin = std::min(hidden, blocks * id / threads * 16);
  *end = std::min(hidden, blocks * (id + 1) / threads * 16);
}

// Units [j0, j1) of every row (B × H, gate rows 4H). The inner loops have no branches
// (the optional parts are template parameters) so that they vectorise; they run inside
// the caller's parallel region but are compiled per instruction set (target_clones
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

template <class Op, bool kDropout, bool kNext>
[[gnu::always_inline]] inline void backward_units(const CellBackward& s, int j0, int j1) {
  const int H = s.hidden;
  for (int b = 0; b < s.batch; ++b) {
    const int64_t row = static_cast<int64_t>(b) * H;
    const float* a = s.gates + 4 * row;
    const float* c = s.c + row;
    const float* cp = s.c_prev + row;
    const float* dh_output = s.dh_output + row;
    const float* dh_next = s.dh_next + row;
    float* dc = s.dc + row;
    Op* dz = static_cast<Op*>(s.dz) + 4 * row;
#pragma omp simd
    for (int j = j0; j < j1; ++j) {
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
      s.dbias[j] += d_i;
      s.dbias[H + j] += d_g;
      s.dbias[2 * H + j] += d_f;
      s.dbias[3 * H + j] += d_o;
    }
  }
}

template <class Op>
[[gnu::always_inline]] inline void forward_dispatch(const CellForward& s, int j0, int j1) {
  s.output ? forward_units<Op, true>(s, j0, j1) : forward_units<Op, false>(s, j0, j1);
}

template <class Op>
[[gnu::always_inline]] inline void backward_dispatch(const CellBackward& s, int j0, int j1) {
  if (s.dropout.active()) {
    s.dh_next ? backward_units<Op, true, true>(s, j0, j1)
              : backward_units<Op, true, false>(s, j0, j1);
  } else {
    s.dh_next ? backward_units<Op, false, true>(s, j0, j1)
              : backward_units<Op, false, false>(s, j0, j1);
  }
}

[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void forward_f32(
    const CellForward& s, int j0, int j1) {
  forward_dispatch<float>(s, j0, j1);
}
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void forward_bf16(
    const CellForward& s, int j0, int j1) {
  forward_dispatch<uint16_t>(s, j0, j1);
}
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void backward_f32(
    const CellBackward& s, int j0, int j1) {
  backward_dispatch<float>(s, j0, j1);
}
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void backward_bf16(
    const CellBackward& s, int j0, int j1) {
  backward_dispatch<uint16_t>(s, j0, j1);
}

}  // namespace

void lstm_cell_forward(const CellForward& step, ElementType op_type) {
#pragma omp parallel
  {
    int j0, j1;
    unit_range(step.hidden, &j0, &j1);
    op_type == ElementType::kBf16 ? forward_bf16(step, j0, j1) : forward_f32(step, j0, j1);
  }
}

void lstm_cell_backward(const CellBackward& step, ElementType op_type) {
#pragma omp parallel
  {
    int j0, j1;
    unit_range(step.hidden, &j0, &j1);
    op_type == ElementType::kBf16 ? backward_bf16(step, j0, j1) : backward_f32(step, j0, j1);
  }
}

}  // namespace prnn
