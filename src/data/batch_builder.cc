#include "data/batch_builder.h"

#include <algorithm>

#include "base/error.h"

namespace prnn {

void build_batch(std::span<const EncodedExample> examples, const InputLayout& layout, int num_heads,
                 Batch& out) {
  const int B = static_cast<int>(examples.size());
  const int D = layout.dense_size;
  const int K = layout.num_groups();
  const int H = num_heads;
  int T = 0;
  for (const EncodedExample& e : examples) T = std::max(T, e.num_steps);
  out.batch_size = B;
  out.max_length = T;
  out.num_heads = H;
  out.layout = layout;
  out.dense.assign(static_cast<size_t>(T) * B * D, 0.0f);
  out.onehot.assign(static_cast<size_t>(T) * B * K, -1);
  out.labels.assign(static_cast<size_t>(T) * B * H, -1);
  out.lengths.resize(B);
  for (int b = 0; b < B; ++b) {
    const EncodedExample& e = examples[b];
    PRNN_CHECK(e.dense.size() == static_cast<size_t>(e.num_steps) * D);
    PRNN_CHECK(e.onehot.size() == static_cast<size_t>(e.num_steps) * K);
    PRNN_CHECK(e.labels.size() == static_cast<size_t>(e.num_steps) * H);
    out.lengths[b] = e.num_steps;
    for (int t = 0; t < e.num_steps; ++t) {
      const size_t row = static_cast<size_t>(t) * B + b;
      std::copy_n(e.dense.data() + static_cast<size_t>(t) * D, D, out.dense.data() + row * D);
      std::copy_n(e.onehot.data() + static_cast<size_t>(t) * K, K, out.onehot.data() + row * K);
      for (int h = 0; h < H; ++h) {
        out.labels[row * H + h] = static_cast<int32_t>(e.labels[static_cast<size_t>(t) * H + h]);
      }
    }
  }
}

}  // namespace prnn
