// Loading models for generation: a bundle in Magenta's exact layout (V1 checkpoint,
// Magenta's names, i/j/f/o gates, forget bias 1.0 at run time) against logits an
// independent numpy LSTM computed (tests/fixtures/generate/make_magenta_layout_bundle.py),
// shape mismatches named clearly, and our own bundles round-tripping.
#include "model/generation_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file.h"
#include "model/generator_bundle.h"
#include "nn/generation_network.h"
#include "../nn/kernel_paths.h"
#include "performance/encoder.h"
#include "model/checkpoint.h"

namespace prnn {
namespace {

const std::string kFixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/";

void expect_logits(const GenerationModel& model, NetworkKernels kernels, double tolerance) {
  nlohmann::json expected =
      nlohmann::json::parse(read_file(kFixtures + "magenta_layout_3x8_logits.json"));
  GenerationNetwork network(model.params, 1, kernels);
  const auto& events = expected["events"];
  for (size_t t = 0; t < events.size(); ++t) {
    std::vector<int32_t> onehot = {events[t].get<int32_t>()};
    auto logits = network.step(1, onehot, {});
    ASSERT_EQ(logits.size(), 388u);
    for (size_t v = 0; v < 388; ++v) {
      ASSERT_NEAR(logits[v], expected["logits"][t][v].get<double>(), tolerance) << t << " " << v;
    }
  }
}

TEST(GenerationModel, MagentaLayoutBundleMatchesIndependentLogits) {
  GenerationModel model = load_bundle_model(kFixtures + "magenta_layout_3x8.mag");
  EXPECT_EQ(model.config->name, "performance_with_dynamics");
  EXPECT_TRUE(model.magenta_checkpoint);
  EXPECT_EQ(model.params.shape().layer_sizes, (std::vector<int>{8, 8, 8}));
  expect_logits(model, NetworkKernels::reference_twin(), 1e-4);
}

// Every kernel path against the same independent logits: fp32 weights as the twin; bf16
// and int8 weights within their rounding.
class GenerationModelPaths : public testing::TestWithParam<NetworkKernels> {};

TEST_P(GenerationModelPaths, MagentaLayoutBundleMatchesIndependentLogits) {
  PRNN_SKIP_UNLESS_CPU_HAS(GetParam().isa);
  GenerationModel model = load_bundle_model(kFixtures + "magenta_layout_3x8.mag");
  expect_logits(model, GetParam(), GetParam().weights == WeightFormat::kFp32 ? 1e-4 : 0.05);
}

INSTANTIATE_TEST_SUITE_P(AllPaths, GenerationModelPaths, testing::ValuesIn(all_kernel_paths()),
                         kernel_path_name);

TEST(GenerationModel, ConditionedMagentaLayoutBundleMatchesIndependentLogits) {
  GenerationModel model = load_bundle_model(kFixtures + "magenta_layout_conditioned_2x8.mag");
  EXPECT_EQ(model.config->name, "optional_multiconditioned_performance_with_dynamics");
  nlohmann::json expected =
      nlohmann::json::parse(read_file(kFixtures + "magenta_layout_conditioned_2x8_logits.json"));
  ControlValues controls;
  controls.note_density = expected["notes_per_second"].get<double>();
  for (int k = 0; k < kPitchClasses; ++k) {
    controls.pitch_histogram[k] = expected["pitch_class_histogram"][k].get<double>();
  }
  PerformanceEncoder encoder(*model.config);
  GenerationNetwork network(model.params, 1, NetworkKernels::reference_twin());
  std::vector<float> dense(encoder.layout().dense_size);
  std::vector<int32_t> onehot(encoder.layout().num_groups());
  const auto& events = expected["events"];
  for (size_t t = 0; t < events.size(); ++t) {
    encoder.encode_input(class_to_event(events[t].get<int>()), &controls, dense.data(),
                         onehot.data());
    auto logits = network.step(1, onehot, dense);
    for (size_t v = 0; v < 388; ++v) {
      ASSERT_NEAR(logits[v], expected["logits"][t][v].get<double>(), 1e-4) << t << " " << v;
    }
  }
}

TEST(GenerationModel, OurBundleRoundTripsAndChecksShapes) {
  GenerationModel magenta = load_bundle_model(kFixtures + "magenta_layout_3x8.mag");
  Checkpoint checkpoint = make_checkpoint("performance_with_dynamics", "rnn_layer_sizes=[8,8,8]",
                                          12, magenta.params, nullptr);
  const std::string checkpoint_path = testing::TempDir() + "model.safetensors";
  write_checkpoint(checkpoint_path, checkpoint);
  const std::string bundle_path = testing::TempDir() + "ours.mag";
  write_generator_bundle(bundle_path,
                         {"performance_with_dynamics", "d", "", read_file(checkpoint_path)});
  GenerationModel ours = load_bundle_model(bundle_path);
  EXPECT_FALSE(ours.magenta_checkpoint);
  EXPECT_EQ(ours.params.values, magenta.params.values);

  // The same weights under another config's id: the message names both shapes and config.
  auto contents = read_generator_bundle(kFixtures + "magenta_layout_3x8.mag");
  contents.generator_id = "performance";
  write_generator_bundle(bundle_path, contents);
  try {
    load_bundle_model(bundle_path);
    FAIL() << "a 388-class checkpoint loaded as the 356-class config";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("performance"), std::string::npos) << message;
    // 388 one-hot inputs + 8 units = 396 rows stored; the 356-class config needs 364.
    EXPECT_NE(message.find("[396,32]"), std::string::npos) << message;
    EXPECT_NE(message.find("[364,32]"), std::string::npos) << message;
  }
}

TEST(GenerationModel, MissingAndCorruptModelsAreInputErrors) {
  EXPECT_THROW(load_bundle_model("/nonexistent.mag"), InputError);
  EXPECT_THROW(load_run_dir_model(testing::TempDir() + "empty_run_dir"), InputError);
  std::string bytes = read_file(kFixtures + "magenta_layout_3x8.mag");
  bytes[bytes.size() / 2] ^= 0x20;
  const std::string path = testing::TempDir() + "corrupt.mag";
  write_file_atomic(path, bytes);
  EXPECT_THROW(load_bundle_model(path), InputError);
}

}  // namespace
}  // namespace prnn
