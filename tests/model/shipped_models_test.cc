// Which shipped model a run without a model flag uses: the folder is overridden with
// $PRNN_MODELS_DIR and filled with the tiny fixture bundles under the shipped names.
#include "model/shipped_models.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "base/error.h"
#include "base/file.h"
#include "generate/generate_job.h"

namespace prnn {
namespace {

const std::string kFixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/";
const std::string kPlainFixture = kFixtures + "magenta_layout_3x8.mag";
const std::string kConditionedFixture = kFixtures + "magenta_layout_conditioned_2x8.mag";

class ShippedModels : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "shipped_models_" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (const char* model = std::getenv("PRNN_MODEL")) saved_model_ = model;
    unsetenv("PRNN_MODEL");
    setenv("PRNN_MODELS_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("PRNN_MODELS_DIR");
    if (!saved_model_.empty()) setenv("PRNN_MODEL", saved_model_.c_str(), 1);
  }
  void install(bool plain, bool conditioned) {
    if (plain) std::filesystem::copy_file(kPlainFixture, dir_ + "/" + kShippedModelFile);
    if (conditioned)
      std::filesystem::copy_file(kConditionedFixture, dir_ + "/" + kConditionedModelFile);
  }
  void write_index(const std::string& json) { write_file_atomic(dir_ + "/models.json", json); }
  std::string path(const char* file) const { return dir_ + "/" + file; }

  std::string dir_, saved_model_;
};

TEST_F(ShippedModels, TheConditionedModelWhenAControlIsRequested) {
  install(true, true);
  ShippedModelChoice plain = choose_shipped_model(false);
  EXPECT_EQ(plain.path, path(kShippedModelFile));
  EXPECT_FALSE(plain.conditioned);
  ShippedModelChoice conditioned = choose_shipped_model(true);
  EXPECT_EQ(conditioned.path, path(kConditionedModelFile));
  EXPECT_TRUE(conditioned.conditioned);
  EXPECT_FALSE(conditioned.disable_conditioning);
}

TEST_F(ShippedModels, TheConditionedModelForEveryRunWhenItsDisabledNllIsAtLeastAsGood) {
  install(true, true);
  write_index(R"({"performance_with_dynamics.safetensors.gz": {"eval_nll_per_event": 2.9},
    "optional_multiconditioned_performance_with_dynamics.safetensors.gz":
      {"eval_nll_per_event_conditioning_disabled": 2.9}})");
  ShippedModelChoice choice = choose_shipped_model(false);
  EXPECT_EQ(choice.path, path(kConditionedModelFile));
  EXPECT_TRUE(choice.disable_conditioning);
  EXPECT_NE(choice.reason.find("2.900"), std::string::npos) << choice.reason;

  write_index(R"({"performance_with_dynamics.safetensors.gz": {"eval_nll_per_event": 2.9},
    "optional_multiconditioned_performance_with_dynamics.safetensors.gz":
      {"eval_nll_per_event_conditioning_disabled": 2.91}})");
  EXPECT_EQ(choose_shipped_model(false).path, path(kShippedModelFile));
  // Not recorded (null or missing): the unconditioned model.
  write_index(R"({"optional_multiconditioned_performance_with_dynamics.safetensors.gz":
      {"eval_nll_per_event_conditioning_disabled": null}})");
  EXPECT_EQ(choose_shipped_model(false).path, path(kShippedModelFile));
}

// The repository's index: the conditioned model's disabled-conditioning NLL (2.626) beats
// the unconditioned model's (2.883), so it plays every run, unconditioned by default.
TEST_F(ShippedModels, TheRepositorysIndexChoosesTheConditionedModelForEveryRun) {
  install(true, true);
  std::filesystem::copy_file(std::string(PRNN_SOURCE_DIR) + "/models/models.json",
                             dir_ + "/models.json");
  ShippedModelChoice plain = choose_shipped_model(false);
  EXPECT_EQ(plain.path, path(kConditionedModelFile));
  EXPECT_TRUE(plain.disable_conditioning) << plain.reason;
  ShippedModelChoice controlled = choose_shipped_model(true);
  EXPECT_EQ(controlled.path, path(kConditionedModelFile));
  EXPECT_FALSE(controlled.disable_conditioning);
}

TEST_F(ShippedModels, WhateverIsInstalledWhenOnlyOneIs) {
  install(true, false);
  ShippedModelChoice choice = choose_shipped_model(true);
  EXPECT_EQ(choice.path, path(kShippedModelFile));
  EXPECT_NE(choice.reason.find("not installed"), std::string::npos) << choice.reason;
  std::filesystem::remove(path(kShippedModelFile));
  install(false, true);
  choice = choose_shipped_model(false);
  EXPECT_EQ(choice.path, path(kConditionedModelFile));
  EXPECT_TRUE(choice.disable_conditioning);
}

TEST_F(ShippedModels, ErrorsNameTheFolderOrTheIndex) {
  try {
    choose_shipped_model(false);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir_), std::string::npos) << e.what();
  }
  install(true, true);
  write_index("{not json");
  try {
    choose_shipped_model(false);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("models.json"), std::string::npos) << e.what();
  }
}

TEST_F(ShippedModels, PrnnModelOverridesTheChoice) {
  install(true, true);
  setenv("PRNN_MODEL", kPlainFixture.c_str(), 1);
  EXPECT_EQ(choose_shipped_model(true).path, kPlainFixture);
  unsetenv("PRNN_MODEL");
}

// Generate without a model flag: outputs equal those of the fixture given explicitly, so
// the chosen file and the conditioning state are the ones the rule names; the log says so.
class GenerateWithShippedModels : public ShippedModels {
 protected:
  std::string run(GenerateJob job, const std::string& name, std::string* log = nullptr) {
    job.num_outputs = 1;
    job.num_steps = 400;
    job.seed = 3;
    job.output_dir = dir_ + "/" + name;
    if (log) testing::internal::CaptureStderr();
    std::vector<std::string> paths = run_generate_job(job);
    if (log) *log = testing::internal::GetCapturedStderr();
    return read_file(paths.at(0));
  }
};

TEST_F(GenerateWithShippedModels, AControlFlagPicksTheConditionedModel) {
  install(true, true);
  GenerateJob shipped;
  shipped.notes_per_second = "3";
  std::string log;
  const std::string output = run(shipped, "shipped", &log);
  EXPECT_NE(log.find(kConditionedModelFile), std::string::npos) << log;
  GenerateJob explicit_model = shipped;
  explicit_model.bundle_file = kConditionedFixture;
  EXPECT_EQ(output, run(explicit_model, "explicit"));
  GenerateJob plain;
  EXPECT_EQ(run(plain, "plain"), run(GenerateJob{.bundle_file = kPlainFixture}, "plain_explicit"));
}

TEST_F(GenerateWithShippedModels, TheConditionedModelChosenForItsNllPlaysUnconditioned) {
  install(true, true);
  write_index(R"({"performance_with_dynamics.safetensors.gz": {"eval_nll_per_event": 3},
    "optional_multiconditioned_performance_with_dynamics.safetensors.gz":
      {"eval_nll_per_event_conditioning_disabled": 2.5}})");
  const std::string output = run(GenerateJob{}, "shipped");
  GenerateJob disabled{.bundle_file = kConditionedFixture};
  disabled.disable_conditioning = "True";
  EXPECT_EQ(output, run(disabled, "disabled"));
  EXPECT_NE(output, run(GenerateJob{.bundle_file = kConditionedFixture}, "enabled"));
}

TEST_F(GenerateWithShippedModels, AControlWithoutTheConditionedModelWarnsNamingTheModel) {
  install(true, false);
  GenerateJob job;
  job.pitch_class_histogram = "c_major";
  std::string log;
  const std::string output = run(job, "shipped", &log);
  EXPECT_NE(log.find("does not condition on it"), std::string::npos) << log;
  EXPECT_NE(log.find("model used: " + path(kShippedModelFile)), std::string::npos) << log;
  EXPECT_EQ(output, run(GenerateJob{.bundle_file = kPlainFixture}, "plain"));
}

}  // namespace
}  // namespace prnn
