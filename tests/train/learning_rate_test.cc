// The learning-rate schedule: values worked out by hand from the formulas in
// train/learning_rate.h, and the hparams syntax that selects it.
#include "train/learning_rate.h"

#include <gtest/gtest.h>

#include <cmath>

#include "base/error.h"

namespace prnn {
namespace {

HParams parsed(const std::string& text) {
  HParams h = default_hparams();
  apply_hparams(text, h);
  return h;
}

TEST(LearningRate, ConstantIsTheDefault) {
  HParams h = default_hparams();
  for (int64_t step : {0, 1, 999, 1000000}) EXPECT_DOUBLE_EQ(learning_rate_at(h, step), 0.001);
}

TEST(LearningRate, LinearWarmUpThenExponentialDecay) {
  HParams h = parsed("warmup_steps=100,decay=exponential,decay_steps=1000,decay_rate=0.5");
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 0), 1e-5);
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 49), 5e-4);
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 99), 1e-3);
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 100), 1e-3);
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 1100), 5e-4);
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 2100), 2.5e-4);
  EXPECT_NEAR(learning_rate_at(h, 600), 1e-3 / std::sqrt(2.0), 1e-15);
  HParams floored =
      parsed("decay=exponential,decay_steps=1000,decay_rate=0.5,min_learning_rate=1e-4");
  EXPECT_DOUBLE_EQ(learning_rate_at(floored, 1000), 1e-4 + 0.9e-3 * 0.5);
}

TEST(LearningRate, CosineDecayToTheFloor) {
  HParams h = parsed("warmup_steps=100,decay=cosine,decay_steps=1000,min_learning_rate=1e-4");
  EXPECT_DOUBLE_EQ(learning_rate_at(h, 100), 1e-3);
  EXPECT_NEAR(learning_rate_at(h, 600), 1e-4 + 0.9e-3 * 0.5, 1e-15);  // cos(π/2) = 0
  EXPECT_NEAR(learning_rate_at(h, 1100), 1e-4, 1e-15);
  EXPECT_NEAR(learning_rate_at(h, 50000), 1e-4, 1e-15);
}

TEST(LearningRate, ScheduleHParamsRoundTripAndDefaultsStayOutOfTheText) {
  EXPECT_EQ(hparams_to_string(default_hparams()).find("decay"), std::string::npos);
  HParams h = parsed("warmup_steps=7,decay=cosine,decay_steps=9,min_learning_rate=1e-5");
  const std::string text = hparams_to_string(h);
  EXPECT_NE(text.find("decay=cosine"), std::string::npos) << text;
  EXPECT_EQ(parsed(text), h);
}

TEST(LearningRate, BadScheduleValuesAreUsageErrors) {
  for (const char* bad : {"warmup_steps=-1", "decay=linear", "decay_steps=0", "decay_rate=0",
                          "decay_rate=1.5", "min_learning_rate=0.01", "min_learning_rate=-1"}) {
    HParams h = default_hparams();
    EXPECT_THROW(apply_hparams(bad, h), UsageError) << bad;
  }
}

}  // namespace
}  // namespace prnn
