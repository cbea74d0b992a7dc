// Per-column int8 quantization: hand-computed scales and q, which rows each arena tensor
// quantizes, and the network using stored int8 weights as they are.
#include "nn/int8_weights.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cstring>

#include "kernel_paths.h"
#include "network_test_util.h"
#include "nn/generation_network.h"

namespace prnn {
namespace {

TEST(Int8Weights, QuantizesEachColumnByItsLargestMagnitude) {
  // Row 0 is before first_row: its 100 must not set a scale. Column 1 is all zeros.
  const std::vector<float> w = {100.0f, 100.0f, 0.5f, 0.0f, -1.27f, 0.0f, 0.3f, 0.0f};
  const Int8Matrix m = quantize_columns("w", w, 4, 2, 1);
  EXPECT_EQ(m.first_row, 1);
  EXPECT_EQ(m.rows, 4);
  EXPECT_EQ(m.quantized_rows(), 3);
  ASSERT_EQ(m.scale.size(), 2u);
  EXPECT_FLOAT_EQ(m.scale[0], 1.27f / 127.0f);  // 0.01
  EXPECT_EQ(m.scale[1], FLT_MIN);               // never 0
  EXPECT_EQ(m.q, (std::vector<int8_t>{50, 0, -127, 0, 30, 0}));
  EXPECT_FLOAT_EQ(m.dequantized(2, 0), -1.27f);
  EXPECT_EQ(m.dequantized(3, 1), 0.0f);
}

TEST(Int8Weights, RoundsHalfwayAwayFromZeroAndStaysWithin127) {
  // Scale 1 (largest 127): 2.5 → 3, -2.5 → -3, 126.6 → 127.
  const std::vector<float> w = {127.0f, 2.5f, -2.5f, 126.6f};
  const Int8Matrix m = quantize_columns("w", w, 4, 1, 0);
  EXPECT_EQ(m.scale[0], 1.0f);
  EXPECT_EQ(m.q, (std::vector<int8_t>{127, 3, -3, 127}));
}

TEST(Int8Weights, QuantizesWhatTheNetworkMultiplies) {
  const NetworkShape shape{InputLayout{3, {7, 5}}, {24, 20}, {11}};
  ParamArena params(shape);
  const int inputs = shape.layer_input_size(0);  // 3 dense + 12 one-hot rows stay fp32
  EXPECT_EQ(int8_first_row(params, params.lstm_kernel(0)), inputs);
  EXPECT_EQ(int8_first_row(params, params.lstm_kernel(1)), 0);
  EXPECT_EQ(int8_first_row(params, params.dense_weights()), 0);
  EXPECT_EQ(int8_first_row(params, params.lstm_bias(0)), -1);
  EXPECT_EQ(int8_first_row(params, params.lstm_bias(1)), -1);
  EXPECT_EQ(int8_first_row(params, params.dense_biases()), -1);
  glorot_uniform_init(params, 3);
  const std::vector<Int8Matrix> all = quantize_for_int8(params);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, params.lstm_kernel(0).name);
  EXPECT_EQ(all[0].quantized_rows(), 24);
  EXPECT_EQ(all[1].quantized_rows(), 24 + 20);
  EXPECT_EQ(all[2].name, "fully_connected/weights");
  EXPECT_EQ(all[2].cols, 11);
}

// The logits of four steps of two streams.
std::vector<float> four_steps(GenerationNetwork& network) {
  const std::vector<int32_t> onehot = {3, 1, 6, 4};
  const std::vector<float> dense = {0.5f, -0.25f, 1.0f, 0.0f, 0.75f, -1.0f};
  std::vector<float> logits;
  for (int t = 0; t < 4; ++t) {
    auto out = network.step(2, onehot, dense);
    logits.insert(logits.end(), out.begin(), out.end());
  }
  return logits;
}

std::vector<float> int8_logits(const ParamArena& params, std::span<const Int8Matrix> stored,
                               Isa isa) {
  GenerationNetwork network(params, 2, {false, isa, WeightFormat::kInt8}, stored);
  return four_steps(network);
}

// Stored int8 weights whose scales are twice what quantizing their own dequantized values
// gives (|q| ≤ 64): a network that re-derived them would compute other bits. Used as they
// are, the logits are those of the same weights in fp32 up to the sums' rounding.
TEST(Int8Weights, NetworkUsesStoredScalesAsTheyAre) {
  const NetworkShape shape{InputLayout{3, {7, 5}}, {24, 20}, {11}};
  ParamArena params = testing::random_params(shape, 9);
  std::vector<Int8Matrix> stored = quantize_for_int8(params);
  for (Int8Matrix& m : stored) {
    const TensorSpec& spec = *params.find(m.name);
    for (float& s : m.scale) s *= 2.0f;
    for (int r = m.first_row; r < m.rows; ++r) {
      for (int c = 0; c < m.cols; ++c) {
        const float w = params.view(spec)[static_cast<size_t>(r) * m.cols + c];
        m.q[static_cast<size_t>(r - m.first_row) * m.cols + c] =
            static_cast<int8_t>(std::lround(w / m.scale[c]));
        params.view(spec)[static_cast<size_t>(r) * m.cols + c] = m.dequantized(r, c);
      }
    }
  }
  GenerationNetwork twin(params, 2, NetworkKernels::reference_twin());
  for (Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kBaseline}) {
    if (!cpu_supports(isa)) continue;
    const std::vector<float> with_stored = int8_logits(params, stored, isa);
    const std::vector<float> rederived = int8_logits(params, {}, isa);
    ASSERT_EQ(with_stored.size(), rederived.size());
    EXPECT_NE(std::memcmp(with_stored.data(), rederived.data(), 4 * with_stored.size()), 0)
        << isa_name(isa);
    twin.reset();
    const std::vector<float> fp32 = four_steps(twin);
    for (size_t i = 0; i < fp32.size(); ++i) EXPECT_NEAR(with_stored[i], fp32[i], 1e-4) << i;
  }
}

}  // namespace
}  // namespace prnn
