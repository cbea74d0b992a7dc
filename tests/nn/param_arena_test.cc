// The parameter arena's layout (Magenta's variable names and shapes) and initialisation.
#include "nn/param_arena.h"

#include <gtest/gtest.h>

#include <cmath>

namespace prnn {
namespace {

NetworkShape magenta_with_dynamics() { return {{0, {388}}, {512, 512, 512}, {388}}; }

TEST(ParamArena, NamesAndShapesFollowMagentasVariables) {
  ParamArena p(magenta_with_dynamics());
  ASSERT_EQ(p.tensors().size(), 8u);
  const TensorSpec* k0 = p.find("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel");
  ASSERT_NE(k0, nullptr);
  EXPECT_EQ(k0->rows, 388 + 512);
  EXPECT_EQ(k0->cols, 2048);
  const TensorSpec* k2 = p.find("rnn/multi_rnn_cell/cell_2/basic_lstm_cell/kernel");
  ASSERT_NE(k2, nullptr);
  EXPECT_EQ(k2->rows, 1024);
  EXPECT_EQ(p.find("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias")->size(), 2048u);
  EXPECT_EQ(p.find("fully_connected/weights")->rows, 512);
  EXPECT_EQ(p.find("fully_connected/weights")->cols, 388);
  EXPECT_EQ(p.find("fully_connected/biases")->size(), 388u);
  EXPECT_EQ(p.find("global_step"), nullptr);
  // (388+512)*2048 + 2048 + 2 * (1024*2048 + 2048) + 512*388 + 388
  EXPECT_EQ(p.values.size(), 6'242'692u);
}

TEST(ParamArena, NoteEncodingHasOneDenseLayerOverAllHeads) {
  ParamArena p({{0, {13, 77, 128, 32, 25, 40}}, {64}, {13, 77, 128, 32, 25, 40}});
  EXPECT_EQ(p.lstm_kernel(0).rows, 315 + 64);
  EXPECT_EQ(p.dense_weights().cols, 315);
}

TEST(ParamArena, GlorotUniformWithinLimitsAndZeroBiases) {
  ParamArena p({{3, {5}}, {4, 6}, {7}});
  glorot_uniform_init(p, 42);
  for (const TensorSpec& t : p.tensors()) {
    double limit = std::sqrt(6.0 / (t.rows + t.cols));
    double sum_sq = 0;
    for (float x : p.view(t)) {
      if (t.rows == 1) {
        EXPECT_EQ(x, 0.0f) << t.name;
      } else {
        EXPECT_LE(std::abs(x), limit) << t.name;
      }
      sum_sq += x * x;
    }
    if (t.rows > 1) {  // variance of U(-a, a) is a^2 / 3
      EXPECT_NEAR(sum_sq / t.size(), limit * limit / 3, limit * limit / 3 * 0.6) << t.name;
    }
  }
  ParamArena q(p.shape());
  glorot_uniform_init(q, 42);
  EXPECT_EQ(p.values, q.values);
  glorot_uniform_init(q, 43);
  EXPECT_NE(p.values, q.values);
}

}  // namespace
}  // namespace prnn
