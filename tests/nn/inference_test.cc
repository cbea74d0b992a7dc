// The step-by-step inference engine against the slow twin's logits, and its stream
// operations (reset, copy, reorder) for beam search.
#include "nn/inference.h"

#include <gtest/gtest.h>

#include "network_test_util.h"
#include "nn/reference_network.h"

namespace prnn {
namespace {

using testing::random_batch;
using testing::random_params;

// The twin's logits at (t, b).
std::vector<double> reference_logits(const ReferenceResult& ref, const Batch& batch, int t, int b,
                                     int V) {
  const int64_t n = int64_t{t} * batch.batch_size + b;
  return {ref.logits.begin() + n * V, ref.logits.begin() + (n + 1) * V};
}

TEST(InferenceEngine, StepsReproduceTheTwinsLogits) {
  NetworkShape shape{{3, {7, 4}}, {16, 8}, {5, 2}};
  ParamArena params = random_params(shape, 21);
  Batch batch = random_batch(shape, {6, 6, 6}, 4);
  ReferenceResult ref = reference_forward_backward(params, batch);
  InferenceEngine engine(params, 3);
  const int B = 3, K = 2, D = 3, V = shape.num_logits();
  for (int t = 0; t < batch.max_length; ++t) {
    auto logits = engine.step({batch.onehot.data() + t * B * K, size_t(B * K)},
                              {batch.dense.data() + t * B * D, size_t(B * D)});
    for (int b = 0; b < B; ++b) {
      std::vector<double> expected = reference_logits(ref, batch, t, b, V);
      for (int v = 0; v < V; ++v) {
        EXPECT_NEAR(logits[b * V + v], expected[v], 1e-5 * (1 + std::abs(expected[v])))
            << "t=" << t << " b=" << b << " v=" << v;
      }
    }
  }
}

TEST(InferenceEngine, PrimeEqualsSteppingAndStreamsCopyAndReset) {
  NetworkShape shape{{0, {9}}, {16, 16}, {9}};
  ParamArena params = random_params(shape, 5);
  Batch batch = random_batch(shape, {5, 5}, 8);
  InferenceEngine a(params, 2), b(params, 2);
  auto primed = a.prime(5, batch.onehot, batch.dense);
  std::vector<float> primed_copy(primed.begin(), primed.end());
  std::span<const float> stepped;
  for (int t = 0; t < 5; ++t) {
    stepped = b.step({batch.onehot.data() + 2 * t, 2}, {});
  }
  for (size_t i = 0; i < primed_copy.size(); ++i) EXPECT_EQ(primed_copy[i], stepped[i]);

  // copy_stream and reset_stream act on one stream's state.
  std::vector<float> h0(a.hidden_state(1, 0).begin(), a.hidden_state(1, 0).end());
  EXPECT_NE(h0[0], a.hidden_state(1, 1)[0]);
  a.copy_stream(0, 1);
  for (int u = 0; u < 16; ++u) EXPECT_EQ(a.hidden_state(1, 1)[u], h0[u]);
  a.reset_stream(0);
  for (int u = 0; u < 16; ++u) EXPECT_EQ(a.cell_state(0, 0)[u], 0.0f);
}

TEST(InferenceEngine, ReorderedStreamContinuesTheOtherStreamsHistory) {
  NetworkShape shape{{0, {9}}, {8}, {9}};
  ParamArena params = random_params(shape, 6);
  InferenceEngine engine(params, 2), single(params, 1);
  // Stream 0 sees 1, 2; stream 1 sees 4, 5. Then stream 0 takes stream 1's state.
  engine.step(std::vector<int32_t>{1, 4}, {});
  engine.step(std::vector<int32_t>{2, 5}, {});
  const int sources[] = {1, 1};
  engine.reorder_streams(sources);
  auto logits = engine.step(std::vector<int32_t>{7, 7}, {});
  single.step(std::vector<int32_t>{4}, {});
  single.step(std::vector<int32_t>{5}, {});
  auto expected = single.step(std::vector<int32_t>{7}, {});
  for (int v = 0; v < 9; ++v) {
    EXPECT_FLOAT_EQ(logits[v], expected[v]);
    EXPECT_FLOAT_EQ(logits[9 + v], expected[v]);
  }
}

}  // namespace
}  // namespace prnn
