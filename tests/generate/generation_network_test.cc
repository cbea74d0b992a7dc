// The bf16 generation kernels against the fp32 reference twin, and the twin against a
// hand-computed one-unit LSTM.
#include "generate/generation_network.h"

#include <gtest/gtest.h>

#include <cmath>

#include "generate/bf16_kernels.h"

namespace prnn {
namespace {

NetworkShape small_shape(int dense, std::vector<int> layers) {
  return NetworkShape{InputLayout{dense, {7, 5}}, std::move(layers), {11}};
}

TEST(GenerationNetwork, ReferenceTwinMatchesAHandComputedCell) {
  // One layer of one unit, input one-hot of 2 classes, one logit.
  NetworkShape shape{InputLayout{0, {2}}, {1}, {1}};
  ParamArena params(shape);
  auto kernel = params.view(params.lstm_kernel(0));  // rows: x0, x1, h; cols: i, j, f, o
  const float w[3][4] = {
      {0.5f, -0.3f, 0.2f, 0.1f}, {0.0f, 0.0f, 0.0f, 0.0f}, {0.7f, 0.4f, -0.6f, 0.9f}};
  for (int r = 0; r < 3; ++r)
    for (int g = 0; g < 4; ++g) kernel[r * 4 + g] = w[r][g];
  auto bias = params.view(params.lstm_bias(0));
  bias[0] = 0.1f, bias[1] = 0.2f, bias[2] = 0.3f, bias[3] = -0.1f;
  params.view(params.dense_weights())[0] = 2.0f;
  params.view(params.dense_biases())[0] = -1.0f;
  GenerationNetwork net(params, 1, /*use_bf16=*/false);
  std::vector<int32_t> onehot = {0};
  auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
  double c = 0, h = 0;
  for (int t = 0; t < 3; ++t) {
    double i = 0.5 + 0.7 * h + 0.1, j = -0.3 + 0.4 * h + 0.2, f = 0.2 - 0.6 * h + 0.3,
           o = 0.1 + 0.9 * h - 0.1;
    c = c * sig(f + 1.0) + sig(i) * std::tanh(j);
    h = std::tanh(c) * sig(o);
    auto logits = net.step(1, onehot, {});
    EXPECT_NEAR(logits[0], 2.0 * h - 1.0, 1e-6) << t;
  }
}

void expect_twins_agree(const NetworkShape& shape, int streams, int steps) {
  if (!bf16_kernels::available()) GTEST_SKIP() << "no AVX512-BF16";
  ParamArena params(shape);
  glorot_uniform_init(params, 7);
  for (float& b : params.view(params.lstm_bias(0))) b = 0.05f;
  GenerationNetwork fast(params, streams, true), slow(params, streams, false);
  ASSERT_TRUE(fast.uses_bf16());
  std::vector<int32_t> onehot(streams * 2);
  std::vector<float> dense(streams * shape.input.dense_size);
  for (int t = 0; t < steps; ++t) {
    for (int b = 0; b < streams; ++b) {
      onehot[2 * b] = (t * 3 + b) % 7;
      onehot[2 * b + 1] = (t + 2 * b) % 5;
      for (int d = 0; d < shape.input.dense_size; ++d)
        dense[b * shape.input.dense_size + d] = 0.1f * ((t + d + b) % 4);
    }
    auto a = fast.step(streams, onehot, dense);
    auto e = slow.step(streams, onehot, dense);
    ASSERT_EQ(a.size(), e.size());
    for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], e[i], 0.03) << "t=" << t << " i=" << i;
  }
  for (int l = 0; l < shape.num_layers(); ++l)
    for (int b = 0; b < streams; ++b)
      for (size_t u = 0; u < fast.hidden_state(l, b).size(); ++u)
        EXPECT_NEAR(fast.hidden_state(l, b)[u], slow.hidden_state(l, b)[u], 0.02);
}

TEST(GenerationNetwork, Bf16MatchesFp32SingleStream) {
  expect_twins_agree(small_shape(3, {32, 48}), 1, 20);
}
TEST(GenerationNetwork, Bf16MatchesFp32OddSizesAndBatches) {
  for (int streams : {2, 5, 7, 13}) expect_twins_agree(small_shape(0, {20, 9, 70}), streams, 8);
}

TEST(GenerationNetwork, CopyStreamCopiesState) {
  ParamArena params(small_shape(0, {16}));
  glorot_uniform_init(params, 3);
  GenerationNetwork net(params, 2, true);
  std::vector<int32_t> onehot = {1, 2, 3, 4};
  net.step(2, onehot, {});
  EXPECT_NE(net.hidden_state(0, 0)[0], net.hidden_state(0, 1)[0]);
  net.copy_stream(0, 1);
  for (int u = 0; u < 16; ++u) EXPECT_EQ(net.hidden_state(0, 0)[u], net.hidden_state(0, 1)[u]);
  net.reset_stream(0);
  EXPECT_EQ(net.cell_state(0, 0)[3], 0.0f);
}

}  // namespace
}  // namespace prnn
