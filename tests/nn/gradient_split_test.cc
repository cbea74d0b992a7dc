// Data-parallel gradients: the batch split between two "ranks", each gradient divided by
// the whole batch's predictions (GradientOptions::divisor), sums to the gradient of the
// whole batch; on_ready hands over every tensor once, top of the network first, final.
#include <gtest/gtest.h>

#include <numeric>

#include "network_test_util.h"
#include "nn/softmax_xent.h"
#include "nn/training_step.h"

namespace prnn {
namespace {

using testing::random_batch;
using testing::random_params;
using testing::relative_error;

// The examples `which` of `batch` as a batch of their own (T = their longest).
Batch select_examples(const Batch& batch, const std::vector<int>& which) {
  Batch out;
  out.batch_size = static_cast<int>(which.size());
  out.num_heads = batch.num_heads;
  out.layout = batch.layout;
  for (int b : which) {
    out.lengths.push_back(batch.lengths[b]);
    out.max_length = std::max(out.max_length, batch.lengths[b]);
  }
  const int B = batch.batch_size, D = batch.layout.dense_size;
  const int K = batch.layout.num_groups(), H = batch.num_heads;
  for (int t = 0; t < out.max_length; ++t) {
    for (int b : which) {
      const int64_t n = int64_t{t} * B + b;
      out.dense.insert(out.dense.end(), batch.dense.begin() + n * D,
                       batch.dense.begin() + (n + 1) * D);
      out.onehot.insert(out.onehot.end(), batch.onehot.begin() + n * K,
                        batch.onehot.begin() + (n + 1) * K);
      out.labels.insert(out.labels.end(), batch.labels.begin() + n * H,
                        batch.labels.begin() + (n + 1) * H);
    }
  }
  return out;
}

int64_t predictions(const Batch& b) {
  return count_predictions(b.labels.data(), static_cast<int64_t>(b.labels.size()));
}

TEST(GradientSplit, HalvesWithTheGlobalDivisorSumToTheWholeBatchGradient) {
  const NetworkShape shape{{3, {9}}, {16, 24}, {9}};
  ParamArena params = random_params(shape, 3);
  Batch whole = random_batch(shape, {7, 2, 5, 6, 3, 7}, 5);
  Batch first = select_examples(whole, {0, 1, 2}), second = select_examples(whole, {3, 4, 5});
  ASSERT_EQ(predictions(first) + predictions(second), predictions(whole));
  ASSERT_NE(predictions(first), predictions(second)) << "unequal shares make the test bite";

  TrainingStep step(shape, {.precision = Precision::kFp32});
  ParamArena expected(shape), a(shape), b(shape);
  BatchStats all = step.compute_gradients(params, whole, 0, expected);
  const GradientOptions global{.divisor = predictions(whole)};
  BatchStats sa = step.compute_gradients(params, first, 0, a, global);
  BatchStats sb = step.compute_gradients(params, second, 0, b, global);
  EXPECT_NEAR(sa.cross_entropy_sum + sb.cross_entropy_sum, all.cross_entropy_sum,
              1e-6 * all.cross_entropy_sum);
  for (size_t i = 0; i < a.values.size(); ++i) a.values[i] += b.values[i];
  for (const TensorSpec& t : params.tensors()) {
    EXPECT_LT(relative_error(a.view(t), expected.view(t)), 1e-5) << t.name;
  }
  // Each share's own mean (the default divisor) would weigh the shares equally: wrong.
  ParamArena own_a(shape), own_b(shape);
  step.compute_gradients(params, first, 0, own_a);
  step.compute_gradients(params, second, 0, own_b);
  for (size_t i = 0; i < own_a.values.size(); ++i) {
    own_a.values[i] = 0.5f * (own_a.values[i] + own_b.values[i]);
  }
  EXPECT_GT(relative_error(own_a.view(params.dense_biases()), expected.view(params.dense_biases())),
            1e-3);
}

TEST(GradientSplit, OnReadyHandsOverEachFinalTensorOnceTopFirst) {
  const NetworkShape shape{{2, {7}}, {8, 12, 8}, {7}};
  ParamArena params = random_params(shape, 8);
  Batch batch = random_batch(shape, {4, 6, 3}, 9);
  TrainingStep step(shape, {.precision = Precision::kFp32});
  ParamArena grads(shape);
  std::vector<std::pair<size_t, std::vector<float>>> handed;  // (offset, values then)
  GradientOptions options{.on_ready = [&](std::span<float> g) {
    handed.emplace_back(g.data() - grads.values.data(), std::vector<float>(g.begin(), g.end()));
  }};
  step.compute_gradients(params, batch, 0, grads, options);
  // Dense layer, then layers 2, 1, 0: each stretch ends where the one before began.
  ASSERT_EQ(handed.size(), 4u);
  EXPECT_EQ(handed[0].first, params.dense_weights().offset);
  EXPECT_EQ(handed[0].first + handed[0].second.size(), grads.values.size());
  for (size_t k = 1; k < handed.size(); ++k) {
    EXPECT_EQ(handed[k].first + handed[k].second.size(), handed[k - 1].first);
  }
  EXPECT_EQ(handed.back().first, 0u);
  for (const auto& [offset, values] : handed) {
    EXPECT_TRUE(std::equal(values.begin(), values.end(), grads.values.begin() + offset))
        << "the stretch at " << offset << " changed after it was handed over";
  }
}

}  // namespace
}  // namespace prnn
