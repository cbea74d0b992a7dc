// Random tiny networks and batches for the nn tests.
#pragma once

#include <cmath>
#include <random>

#include "nn/batch.h"
#include "nn/param_arena.h"

namespace prnn::testing {

// A padded batch with random inputs and labels; example b has length lengths[b].
inline Batch random_batch(const NetworkShape& shape, const std::vector<int>& lengths,
                          uint32_t seed) {
  std::mt19937 rng(seed);
  Batch batch;
  batch.batch_size = static_cast<int>(lengths.size());
  batch.max_length = *std::max_element(lengths.begin(), lengths.end());
  batch.num_heads = shape.num_heads();
  batch.layout = shape.input;
  batch.lengths.assign(lengths.begin(), lengths.end());
  const int T = batch.max_length, B = batch.batch_size, D = shape.input.dense_size;
  const int K = shape.input.num_groups(), NH = shape.num_heads();
  batch.dense.assign(int64_t{T} * B * D, 0.0f);
  batch.onehot.assign(int64_t{T} * B * K, -1);
  batch.labels.assign(int64_t{T} * B * NH, -1);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  for (int t = 0; t < T; ++t) {
    for (int b = 0; b < B; ++b) {
      if (t >= lengths[b]) continue;
      const int64_t n = int64_t{t} * B + b;
      for (int d = 0; d < D; ++d) batch.dense[n * D + d] = unit(rng);
      for (int k = 0; k < K; ++k) {
        batch.onehot[n * K + k] =
            std::uniform_int_distribution<int>(0, shape.input.onehot_sizes[k] - 1)(rng);
      }
      for (int h = 0; h < NH; ++h) {
        batch.labels[n * NH + h] =
            std::uniform_int_distribution<int>(0, shape.head_sizes[h] - 1)(rng);
      }
    }
  }
  return batch;
}

// Weights uniform in ±scale (biases too, so their gradients matter), deterministic.
inline ParamArena random_params(const NetworkShape& shape, uint32_t seed, float scale = 0.5f) {
  ParamArena params(shape);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(-scale, scale);
  for (float& x : params.values) x = unit(rng);
  return params;
}

// max |a - b| over a tensor relative to max |b| of that tensor (with a floor).
template <class A, class B>
double relative_error(const A& a, const B& b) {
  double max_diff = 0, max_ref = 1e-12;
  for (size_t i = 0; i < b.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(double(a[i]) - double(b[i])));
    max_ref = std::max(max_ref, std::abs(double(b[i])));
  }
  return max_diff / max_ref;
}

}  // namespace prnn::testing
