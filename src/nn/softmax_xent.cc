#include "nn/softmax_xent.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/fast_math.h"

namespace prnn {

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
  const float inv_predictions = predictions ? 1.0f / static_cast<float>(predictions) : 0.0f;
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
        const int argmax = static_cast<int>(std::max_element(z, z + size) - z);
        const float max = z[argmax];
        const float label_logit = z[label] - max;
        float sum = 0;
        if (a.gradients) {  // keep e^(z - max) for the gradient
#pragma omp simd reduction(+ : sum)
          for (int c = 0; c < size; ++c) {
            z[c] = fast_exp(z[c] - max);
            sum += z[c];
          }
        } else {
#pragma omp simd reduction(+ : sum)
          for (int c = 0; c < size; ++c) sum += fast_exp(z[c] - max);
        }
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
          const float scale = inv_predictions / sum;
#pragma omp simd
          for (int c = 0; c < size; ++c) z[c] *= scale;
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
