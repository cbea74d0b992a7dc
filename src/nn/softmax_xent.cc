#include "nn/softmax_xent.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/fast_math.h"
#include "nn/per_isa.h"

namespace prnn {
namespace {

// Row kernels, compiled per instruction set (nn/per_isa.h) and called from inside the
// parallel region below.
#define PRNN_ROW_KERNEL [[gnu::always_inline]] inline

PRNN_ROW_KERNEL float row_max_body(const float* z, int size) {
  float max = z[0];
#pragma omp simd reduction(max : max)
  for (int c = 0; c < size; ++c) max = z[c] > max ? z[c] : max;
  return max;
}

// z ← e^(z − max) in place; returns Σ.
PRNN_ROW_KERNEL float exp_shifted_in_place_body(float* z, int size, float max) {
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int c = 0; c < size; ++c) {
    z[c] = fast_exp(z[c] - max);
    sum += z[c];
  }
  return sum;
}

PRNN_ROW_KERNEL float sum_exp_shifted_body(const float* z, int size, float max) {
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int c = 0; c < size; ++c) sum += fast_exp(z[c] - max);
  return sum;
}

PRNN_ROW_KERNEL void scale_in_place_body(float* z, int size, float factor) {
#pragma omp simd
  for (int c = 0; c < size; ++c) z[c] *= factor;
}

#undef PRNN_ROW_KERNEL

PRNN_PER_ISA(float, row_max, (const float* z, int size), (z, size))
PRNN_PER_ISA(float, exp_shifted_in_place, (float* z, int size, float max), (z, size, max))
PRNN_PER_ISA(float, sum_exp_shifted, (const float* z, int size, float max), (z, size, max))
PRNN_PER_ISA(void, scale_in_place, (float* z, int size, float factor), (z, size, factor))

}  // namespace

int64_t count_predictions(const int32_t* labels, int64_t count) {
  int64_t n = 0;
  for (int64_t i = 0; i < count; ++i) n += labels[i] >= 0;
  return n;
}

BatchStats softmax_cross_entropy(const SoftmaxXentArgs& a) {
  const int heads = static_cast<int>(a.head_sizes.size());
  int V = 0;
  for (int size : a.head_sizes) V += size;
  const int64_t predictions = count_predictions(a.labels, a.rows * heads);
  const int64_t divisor = a.gradient_divisor > 0 ? a.gradient_divisor : predictions;
  const float inv_predictions = divisor ? 1.0f / static_cast<float>(divisor) : 0.0f;
  const int classes0 = a.head_sizes[0];

  const int threads = omp_get_max_threads();
  std::vector<BatchStats> partial(threads);
#pragma omp parallel num_threads(threads)
  {
    BatchStats& st = partial[omp_get_thread_num()];
    st.class_predictions.assign(classes0, 0);
    st.class_correct.assign(classes0, 0);
#pragma omp for schedule(static)
    for (int64_t n = 0; n < a.rows; ++n) {
      float* row = a.logits + n * V;
      int offset = 0;
      for (int k = 0; k < heads; ++k) {
        const int size = a.head_sizes[k];
        float* z = row + offset;
        offset += size;
        const int label = a.labels[n * heads + k];
        if (label < 0) {
          if (a.gradients) std::fill(z, z + size, 0.0f);
          continue;
        }
        const float max = row_max(z, size);
        const int argmax = static_cast<int>(std::find(z, z + size, max) - z);  // the first
        const float label_logit = z[label] - max;
        // With gradients, keep e^(z - max) for them.
        const float sum =
            a.gradients ? exp_shifted_in_place(z, size, max) : sum_exp_shifted(z, size, max);
        st.cross_entropy_sum += std::log(static_cast<double>(sum)) - label_logit;
        ++st.predictions;
        const bool correct = argmax == label;
        st.correct += correct;
        if (!a.no_event_labels.empty()) {
          if (label == a.no_event_labels[k]) {
            ++st.no_event_predictions;
            st.no_event_correct += correct;
          } else {
            ++st.event_predictions;
            st.event_correct += correct;
          }
        }
        if (k == 0) {
          ++st.class_predictions[label];
          st.class_correct[label] += correct;
        }
        if (a.gradients) {
          scale_in_place(z, size, inv_predictions / sum);
          z[label] -= inv_predictions;
        }
      }
    }
  }
  BatchStats total;
  for (const BatchStats& st : partial) total.add(st);
  return total;
}

}  // namespace prnn
