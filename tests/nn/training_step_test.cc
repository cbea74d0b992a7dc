// The fast training step against its slow twin (reference_network.h): same loss, logits
// and gradients on tiny networks covering every input kind, several heads, padding and
// dropout, fp32 at every instruction-set level; bf16 within a looser bound.
#include "nn/training_step.h"

#include <gtest/gtest.h>

#include "kernel_paths.h"
#include "network_test_util.h"
#include "nn/reference_network.h"

namespace prnn {
namespace {

using testing::random_batch;
using testing::random_params;
using testing::relative_error;

struct Case {
  const char* name;
  NetworkShape shape;
  std::vector<int> lengths;
  float keep_prob;
};

std::vector<Case> cases() {
  return {
      {"onehot_one_layer", {{0, {11}}, {16}, {11}}, {5, 5, 5}, 1.0f},
      {"onehot_three_layers_padded", {{0, {11}}, {16, 32, 16}, {11}}, {7, 3, 5, 1}, 1.0f},
      {"controls_and_onehot", {{5, {9}}, {16, 16}, {9}}, {6, 4}, 1.0f},
      {"modulo_dense_only", {{6, {}}, {16}, {7}}, {5, 2, 4}, 1.0f},
      {"note_encoding_heads", {{0, {3, 4, 5}}, {16, 16}, {3, 4, 5}}, {4, 6}, 1.0f},
      {"dropout", {{2, {9}}, {16, 16}, {9}}, {6, 3, 5}, 0.7f},
  };
}

class FastVersusReference : public ::testing::TestWithParam<Case> {};

// At every instruction-set level this CPU supports: the element-wise kernels (cell,
// softmax, one-hot rows, column sums) are compiled per level (nn/per_isa.h).
TEST_P(FastVersusReference, Fp32MatchesTheSlowTwinAtEveryLevel) {
  const Case& c = GetParam();
  ParamArena params = random_params(c.shape, 7);
  Batch batch = random_batch(c.shape, c.lengths, 11);
  ReferenceResult ref = reference_forward_backward(params, batch, c.keep_prob, 99);
  for (Isa isa : supported_isas()) {
    SCOPED_TRACE(isa_name(isa));
    ScopedIsa scoped(isa);
    TrainingStep step(c.shape, {.precision = Precision::kFp32, .dropout_keep_prob = c.keep_prob});
    ParamArena grads(c.shape);
    BatchStats stats = step.compute_gradients(params, batch, 99, grads);
    EXPECT_NEAR(stats.loss(), ref.loss, 1e-5 * ref.loss);
    for (const TensorSpec& t : params.tensors()) {
      EXPECT_LT(relative_error(grads.view(t), ref.grads.view(t)), 1e-5) << t.name;
    }
    if (c.keep_prob != 1.0f) continue;
    TrainingStep eval(c.shape, {.precision = Precision::kFp32});
    BatchStats eval_stats = eval.evaluate(params, batch);
    EXPECT_NEAR(eval_stats.loss(), ref.loss, 1e-5 * ref.loss);
    std::vector<double> logits, expected;  // real positions only
    const int V = c.shape.num_logits();
    for (int t = 0; t < batch.max_length; ++t) {
      for (int b = 0; b < batch.batch_size; ++b) {
        if (t >= batch.lengths[b]) continue;
        const int64_t n = int64_t{t} * batch.batch_size + b;
        for (int v = 0; v < V; ++v) {
          logits.push_back(eval.last_logits()[n * V + v]);
          expected.push_back(ref.logits[n * V + v]);
        }
      }
    }
    EXPECT_LT(relative_error(logits, expected), 1e-5);
  }
}

TEST_P(FastVersusReference, Bf16TracksTheSlowTwin) {
  if (!cpu_has_native_bf16())
    GTEST_SKIP() << "needs AVX512-BF16 or AMX (bf16 products): this CPU has neither";
  const Case& c = GetParam();
  ParamArena params = random_params(c.shape, 7);
  Batch batch = random_batch(c.shape, c.lengths, 11);
  TrainingStep step(c.shape, {.precision = Precision::kBf16, .dropout_keep_prob = c.keep_prob});
  ParamArena grads(c.shape);
  BatchStats stats = step.compute_gradients(params, batch, 99, grads);
  ReferenceResult ref = reference_forward_backward(params, batch, c.keep_prob, 99);
  // bf16 keeps 8 significant bits (relative rounding 2^-9 ≈ 0.2%) per operand; through
  // a few layers of products the loss stays within 1% and gradients within 5% of the
  // tensor's largest entry.
  EXPECT_NEAR(stats.loss(), ref.loss, 1e-2 * ref.loss);
  for (const TensorSpec& t : params.tensors()) {
    EXPECT_LT(relative_error(grads.view(t), ref.grads.view(t)), 5e-2) << t.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, FastVersusReference, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TrainingStep, MetricsCountRealPositionsAndNoEventLabels) {
  NetworkShape shape{{0, {6}}, {8}, {6}};
  ParamArena params = random_params(shape, 3);
  Batch batch = random_batch(shape, {4, 2}, 5);
  // Every real label is 5 (the "no event") except position (t=0, b=0).
  for (int32_t& label : batch.labels) {
    if (label >= 0) label = 5;
  }
  batch.labels[0] = 1;
  TrainingStep step(shape, {.precision = Precision::kFp32, .no_event_labels = {5}});
  BatchStats stats = step.evaluate(params, batch);
  EXPECT_EQ(stats.predictions, 6);
  EXPECT_EQ(stats.event_predictions, 1);
  EXPECT_EQ(stats.no_event_predictions, 5);
  EXPECT_EQ(stats.class_predictions[5], 5);
  EXPECT_EQ(stats.class_predictions[1], 1);
}

}  // namespace
}  // namespace prnn
