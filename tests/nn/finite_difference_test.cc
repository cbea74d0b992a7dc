// Finite-difference gradient checks, one network per component: the LSTM layers (input
// and recurrent rows), the dense output layer, the softmax loss over several heads, the
// dense (control-signal) input and dropout. The loss is the slow twin's (double precision);
// its analytic gradients and the fast engine's must both match the central differences.
#include <gtest/gtest.h>

#include <random>

#include "network_test_util.h"
#include "nn/reference_network.h"
#include "nn/training_step.h"

namespace prnn {
namespace {

using testing::random_batch;
using testing::random_params;

struct Component {
  const char* name;
  NetworkShape shape;
  float keep_prob;
};

class FiniteDifference : public ::testing::TestWithParam<Component> {};

TEST_P(FiniteDifference, AnalyticGradientsMatchCentralDifferences) {
  const Component& c = GetParam();
  ParamArena params = random_params(c.shape, 17);
  Batch batch = random_batch(c.shape, {4, 3, 2}, 23);
  const uint64_t seed = 5;
  ReferenceResult ref = reference_forward_backward(params, batch, c.keep_prob, seed);
  TrainingStep step(c.shape, {.precision = Precision::kFp32, .dropout_keep_prob = c.keep_prob});
  ParamArena fast(c.shape);
  step.compute_gradients(params, batch, seed, fast);

  std::mt19937 rng(3);
  for (const TensorSpec& t : params.tensors()) {
    double scale = 1e-3;  // gradients are compared relative to the tensor's largest entry
    for (float g : ref.grads.view(t)) scale = std::max(scale, double{std::abs(g)});
    for (int sample = 0; sample < 6; ++sample) {
      const size_t i = std::uniform_int_distribution<size_t>(0, t.size() - 1)(rng);
      float& w = params.view(t)[i];
      const float original = w;
      w = original + 1e-3f;
      const float up = w;
      const double loss_up = reference_forward_backward(params, batch, c.keep_prob, seed).loss;
      w = original - 1e-3f;
      const float down = w;
      const double loss_down = reference_forward_backward(params, batch, c.keep_prob, seed).loss;
      w = original;
      const double numeric = (loss_up - loss_down) / (double{up} - double{down});
      EXPECT_NEAR(ref.grads.view(t)[i], numeric, 1e-4 * scale) << t.name << "[" << i << "]";
      EXPECT_NEAR(fast.view(t)[i], numeric, 1e-4 * scale) << t.name << "[" << i << "]";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Components, FiniteDifference,
    ::testing::Values(Component{"lstm_layers", {{0, {6}}, {5, 4}, {6}}, 1.0f},
                      Component{"dense_output_and_softmax", {{0, {5}}, {3}, {9}}, 1.0f},
                      Component{"controls_input", {{4, {5}}, {4}, {5}}, 1.0f},
                      Component{"note_encoding_heads", {{0, {3, 4, 2}}, {5}, {3, 4, 2}}, 1.0f},
                      Component{"modulo_dense_input", {{5, {}}, {4}, {6}}, 1.0f},
                      Component{"dropout", {{0, {6}}, {5, 5}, {6}}, 0.6f}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace prnn
