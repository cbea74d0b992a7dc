// Moving weights across configs: an unconditioned model widened onto the optional
// multiconditioned config computes the same logits whatever the controls, and an optional
// model exported without its controls computes what it did with conditioning disabled.
#include "train/warm_start.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/error.h"
#include "nn/reference_network.h"
#include "performance/config.h"
#include "model/checkpoint.h"
#include "model/config_mapping.h"
#include "../nn/network_test_util.h"

namespace prnn {
namespace {

NetworkShape shape_of(const std::string& config, std::vector<int> layers) {
  const PerformanceConfig& c = find_performance_config(config);
  return NetworkShape{c.input_layout(), std::move(layers), c.output_heads()};
}

class WarmStart : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "warm_start_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
  }
  std::string save(const std::string& config, const ParamArena& params) {
    std::string path = dir_ + "/" + config + ".safetensors";
    write_checkpoint(path, make_checkpoint(config, "", 7, params, nullptr));
    return path;
  }
  std::string dir_;
};

TEST_F(WarmStart, UnconditionedOntoOptionalConditionedKeepsTheFunction) {
  const std::string source_config = "performance_with_dynamics";
  const std::string target_config = "optional_multiconditioned_performance_with_dynamics";
  NetworkShape source_shape = shape_of(source_config, {16, 12});
  NetworkShape target_shape = shape_of(target_config, {16, 12});
  ASSERT_EQ(target_shape.input.dense_size, 21);
  ParamArena source = testing::random_params(source_shape, 3);
  std::string path = save(source_config, source);

  ParamArena target = testing::random_params(target_shape, 4);
  warm_start(path, target_config, target);

  // Layer 0: 21 zero control rows, then the source's one-hot and recurrent rows.
  std::span<const float> kernel = target.view(target.lstm_kernel(0));
  std::span<const float> old_kernel = source.view(source.lstm_kernel(0));
  const int cols = target.lstm_kernel(0).cols;
  for (int i = 0; i < 21 * cols; ++i) ASSERT_EQ(kernel[i], 0.0f) << i;
  for (size_t i = 0; i < old_kernel.size(); ++i) ASSERT_EQ(kernel[21 * cols + i], old_kernel[i]);

  // With conditioning disabled (flag 1, controls 0) and with any control values, the
  // warm-started network computes the source's logits.
  Batch source_batch = testing::random_batch(source_shape, {5, 3}, 9);
  for (float disable_flag : {1.0f, 0.0f}) {
    Batch target_batch = source_batch;
    target_batch.layout = target_shape.input;
    const int positions = source_batch.max_length * source_batch.batch_size;
    target_batch.dense.assign(positions * 21, 0.3f);
    for (int n = 0; n < positions; ++n) target_batch.dense[n * 21] = disable_flag;
    ReferenceResult before = reference_forward_backward(source, source_batch);
    ReferenceResult after = reference_forward_backward(target, target_batch);
    ASSERT_EQ(before.logits.size(), after.logits.size());
    for (size_t i = 0; i < before.logits.size(); ++i) {
      ASSERT_NEAR(before.logits[i], after.logits[i], 1e-9) << i;
    }
  }
}

TEST_F(WarmStart, ShapesThatCannotMapNameBothConfigsAndTheTensor) {
  ParamArena source = testing::random_params(shape_of("performance_with_dynamics", {16}), 3);
  std::string path = save("performance_with_dynamics", source);
  // Another event encoding: the one-hot groups differ.
  ParamArena note(shape_of("performance_with_dynamics_and_note_encoding", {16}));
  try {
    warm_start(path, "performance_with_dynamics_and_note_encoding", note);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("'performance_with_dynamics'"), std::string::npos) << message;
    EXPECT_NE(message.find("'performance_with_dynamics_and_note_encoding'"), std::string::npos);
  }
  // Other layer sizes: the first tensor that does not fit is named.
  ParamArena wider(shape_of("optional_multiconditioned_performance_with_dynamics", {20}));
  try {
    warm_start(path, "optional_multiconditioned_performance_with_dynamics", wider);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("'optional_multiconditioned_performance_with_dynamics'"),
              std::string::npos);
    EXPECT_NE(message.find("cell_0/basic_lstm_cell/kernel\" has shape [404, 64] there but "
                           "[429, 80] here"),
              std::string::npos)
        << message;
  }
}

TEST_F(WarmStart, OptionalModelWithoutConditioningKeepsItsDisabledFunction) {
  const std::string config = "optional_multiconditioned_performance_with_dynamics";
  NetworkShape shape = shape_of(config, {16, 12});
  ParamArena conditioned = testing::random_params(shape, 11);
  Checkpoint plain_checkpoint =
      without_conditioning(make_checkpoint(config, "", 3, conditioned, nullptr), "model");
  EXPECT_EQ(plain_checkpoint.config, "performance_with_dynamics");
  NetworkShape plain_shape = shape_of("performance_with_dynamics", {16, 12});
  ParamArena plain(plain_shape);
  restore_checkpoint(plain_checkpoint, "model", "performance_with_dynamics", plain, nullptr);

  Batch plain_batch = testing::random_batch(plain_shape, {6, 4}, 2);
  Batch disabled = plain_batch;
  disabled.layout = shape.input;
  const int positions = plain_batch.max_length * plain_batch.batch_size;
  disabled.dense.assign(positions * 21, 0.0f);
  for (int n = 0; n < positions; ++n) disabled.dense[n * 21] = 1.0f;
  ReferenceResult expected = reference_forward_backward(conditioned, disabled);
  ReferenceResult got = reference_forward_backward(plain, plain_batch);
  ASSERT_EQ(expected.logits.size(), got.logits.size());
  for (size_t i = 0; i < got.logits.size(); ++i)
    ASSERT_NEAR(got.logits[i], expected.logits[i], 1e-5);

  // A config without optional conditioning has nothing to drop.
  ParamArena unconditioned = testing::random_params(plain_shape, 1);
  EXPECT_THROW(
      without_conditioning(
          make_checkpoint("performance_with_dynamics", "", 1, unconditioned, nullptr), "m"),
      InputError);
}

}  // namespace
}  // namespace prnn
