// The training step, clipping and Adam against golden values from an independent
// implementation: PyTorch autograd in float64 with TensorFlow's gate order, forget bias,
// per-tensor clipping and Adam rule (tests/fixtures/make_lstm_golden.py wrote the
// fixtures; the suite needs no Python).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "network_test_util.h"
#include "nn/optimizer.h"
#include "nn/training_step.h"

namespace prnn {
namespace {

using testing::relative_error;

struct Golden {
  nlohmann::json json;
  NetworkShape shape;
  Batch batch;
  ParamArena params;
};

Golden load(const std::string& name) {
  Golden g;
  std::ifstream in(std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/nn/lstm_golden_" + name +
                   ".json");
  EXPECT_TRUE(in.good()) << name;
  g.json = nlohmann::json::parse(in);
  const auto& j = g.json;
  g.shape = {{j["dense_size"], j["onehot_sizes"].get<std::vector<int>>()},
             j["layer_sizes"].get<std::vector<int>>(),
             j["head_sizes"].get<std::vector<int>>()};
  g.batch.lengths = j["lengths"].get<std::vector<int32_t>>();
  g.batch.batch_size = static_cast<int>(g.batch.lengths.size());
  g.batch.max_length = *std::max_element(g.batch.lengths.begin(), g.batch.lengths.end());
  g.batch.num_heads = g.shape.num_heads();
  g.batch.layout = g.shape.input;
  g.batch.dense = j["dense"].get<std::vector<float>>();
  g.batch.onehot = j["onehot"].get<std::vector<int32_t>>();
  g.batch.labels = j["labels"].get<std::vector<int32_t>>();
  g.params = ParamArena(g.shape);
  for (const TensorSpec& t : g.params.tensors()) {
    std::vector<float> values = j["params"][t.name].get<std::vector<float>>();
    EXPECT_EQ(values.size(), t.size()) << t.name;
    std::copy(values.begin(), values.end(), g.params.view(t).begin());
  }
  return g;
}

// Real (non-padding) positions' logits of a (T, B, V) buffer.
template <class Vec>
std::vector<double> real_positions(const Vec& logits, const Batch& batch, int V) {
  std::vector<double> out;
  for (int t = 0; t < batch.max_length; ++t) {
    for (int b = 0; b < batch.batch_size; ++b) {
      if (t >= batch.lengths[b]) continue;
      const int64_t n = int64_t{t} * batch.batch_size + b;
      for (int v = 0; v < V; ++v) out.push_back(logits[n * V + v]);
    }
  }
  return out;
}

class GoldenTest : public ::testing::TestWithParam<const char*> {};

// fp32: 1e-5 of each tensor's largest magnitude.
TEST_P(GoldenTest, Fp32LogitsLossAndEveryGradient) {
  Golden g = load(GetParam());
  TrainingStep step(g.shape, {.precision = Precision::kFp32});
  BatchStats eval = step.evaluate(g.params, g.batch);
  const double loss = g.json["loss"];
  EXPECT_NEAR(eval.loss(), loss, 1e-5 * loss);
  const int V = g.shape.num_logits();
  EXPECT_LT(relative_error(real_positions(step.last_logits(), g.batch, V),
                           real_positions(g.json["logits"].get<std::vector<double>>(), g.batch, V)),
            1e-5);
  ParamArena grads(g.shape);
  BatchStats train = step.compute_gradients(g.params, g.batch, 0, grads);
  EXPECT_NEAR(train.loss(), loss, 1e-5 * loss);
  for (const TensorSpec& t : grads.tensors()) {
    auto expected = g.json["grads"][t.name].get<std::vector<double>>();
    EXPECT_LT(relative_error(grads.view(t), expected), 1e-5) << t.name;
  }
}

// Three Adam steps with per-tensor clipping: the losses along the way and the weights after.
TEST_P(GoldenTest, Fp32ThreeAdamStepsWithPerTensorClipping) {
  Golden g = load(GetParam());
  TrainingStep step(g.shape, {.precision = Precision::kFp32});
  AdamOptimizer adam(g.params, {.learning_rate = g.json["learning_rate"]});
  ParamArena grads(g.shape);
  const auto losses = g.json["adam_losses"].get<std::vector<double>>();
  for (int i = 0; i < 3; ++i) {
    BatchStats stats = step.compute_gradients(g.params, g.batch, 0, grads);
    EXPECT_NEAR(stats.loss(), losses[i], 1e-5 * losses[i]) << "step " << i;
    clip_gradients(grads, g.json["clip_norm"], ClipMode::kPerTensor);
    adam.step(g.params, grads);
  }
  EXPECT_NEAR(step.evaluate(g.params, g.batch).loss(), losses[3], 1e-5 * losses[3]);
  for (const TensorSpec& t : g.params.tensors()) {
    auto expected = g.json["params_after_adam"][t.name].get<std::vector<double>>();
    EXPECT_LT(relative_error(g.params.view(t), expected), 1e-5) << t.name;
  }
}

// bf16 products: operands keep 8 significant bits, so the loss is within 1% and gradients
// within 3% of each tensor's largest magnitude.
TEST_P(GoldenTest, Bf16StaysWithinItsDocumentedBound) {
  if (!cpu_has_native_bf16())
    GTEST_SKIP() << "needs AVX512-BF16 or AMX (bf16 products): this CPU has neither";
  Golden g = load(GetParam());
  TrainingStep step(g.shape, {.precision = Precision::kBf16});
  ParamArena grads(g.shape);
  const double loss = g.json["loss"];
  EXPECT_NEAR(step.compute_gradients(g.params, g.batch, 0, grads).loss(), loss, 1e-2 * loss);
  for (const TensorSpec& t : grads.tensors()) {
    auto expected = g.json["grads"][t.name].get<std::vector<double>>();
    EXPECT_LT(relative_error(grads.view(t), expected), 3e-2) << t.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenTest, ::testing::Values("onehot", "controls_heads"));

}  // namespace
}  // namespace prnn
