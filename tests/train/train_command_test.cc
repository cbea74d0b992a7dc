// End-to-end tests of `performance_rnn train`: checkpoints, resume, summaries, the eval
// job, bad input and a SIGKILL in the middle of a run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "base/file.h"
#include "model/checkpoint.h"
#include "model/run_dir.h"
#include "train_test_util.h"
#include "../shared_data.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

using testing::CommandResult;
using testing::write_examples;

CommandResult run(const std::string& arguments) {
  return testing::run_shell(std::string(PRNN_BINARY) + " train " + arguments + " 2>&1");
}

class TrainCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("prnn_train_test_" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    examples_ = dir_ + "/train.tfrecord";
    write_examples(examples_, false, 40);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string base_flags(const std::string& run_dir) {
    return "--config=performance_with_dynamics --run_dir=" + run_dir +
           " --sequence_example_file=" + examples_ +
           " --hparams=batch_size=4,rnn_layer_sizes=[16] --precision=fp32";
  }

  std::string dir_;
  std::string examples_;
};

TEST_F(TrainCommand, TrainsCheckpointsSummarisesAndResumes) {
  std::string run_dir = dir_ + "/run";
  CommandResult first =
      run(base_flags(run_dir) +
          " --num_training_steps=20 --summary_frequency=5 --save_checkpoint_secs=0 "
          "--num_checkpoints=3");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("step 20: loss = "), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("events/s = "), std::string::npos) << first.output;
  std::vector<CheckpointFile> files = list_checkpoints(run_dir + "/train");
  ASSERT_EQ(files.size(), 3u) << "--num_checkpoints=3 keeps three";
  EXPECT_EQ(files.back().step, 20);
  Checkpoint checkpoint = read_checkpoint(files.back().path);
  EXPECT_EQ(checkpoint.config, "performance_with_dynamics");
  EXPECT_EQ(checkpoint.adam_step, 20);
  EXPECT_EQ(checkpoint.data_position, 80u);
  ASSERT_NE(checkpoint.find_weight("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel"), nullptr);
  EXPECT_EQ(checkpoint.find_weight("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel")->shape,
            (std::vector<int64_t>{388 + 16, 64}));
  bool has_events = false;
  for (auto& entry : fs::directory_iterator(run_dir + "/train")) {
    if (entry.path().filename().string().rfind("events.out.tfevents.", 0) == 0) {
      has_events = true;
      std::string bytes = read_file(entry.path().string());
      EXPECT_NE(bytes.find("metrics/perplexity_per_step"), std::string::npos);
      EXPECT_NE(bytes.find("metrics/no_event_accuracy"), std::string::npos);
    }
  }
  EXPECT_TRUE(has_events);

  CommandResult second =
      run(base_flags(run_dir) + " --num_training_steps=30 --summary_frequency=5");
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("resuming from"), std::string::npos) << second.output;
  EXPECT_EQ(second.output.find("step 5: loss"), std::string::npos) << "must not restart at 0";
  EXPECT_EQ(latest_checkpoint(run_dir + "/train")->step, 30);
  EXPECT_EQ(read_checkpoint(checkpoint_path(run_dir + "/train", 30)).adam_step, 30);

  CommandResult eval = run(base_flags(run_dir) +
                           " --eval --num_training_steps=30 --eval_interval_secs=0.1 "
                           "--eval_timeout_secs=5");
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_NE(eval.output.find("eval step 30: loss = "), std::string::npos) << eval.output;
  EXPECT_TRUE(fs::exists(run_dir + "/eval"));
}

TEST_F(TrainCommand, TrainingLowersTheLossOnALearnableSequence) {
  std::string run_dir = dir_ + "/learn";
  CommandResult result = run(base_flags(run_dir) +
                             " --num_training_steps=80 --summary_frequency=10 "
                             "--hparams=batch_size=8,rnn_layer_sizes=[32],learning_rate=0.01");
  ASSERT_EQ(result.status, 0) << result.output;
  auto loss_at = [&](const std::string& step) {
    size_t at = result.output.find("step " + step + ": loss = ");
    EXPECT_NE(at, std::string::npos) << result.output;
    return std::stod(result.output.substr(result.output.find("= ", at) + 2));
  };
  EXPECT_NEAR(loss_at("10"), std::log(388.0), 0.6) << "starts near uniform";
  EXPECT_LT(loss_at("80"), 0.5 * std::log(388.0))
      << "the next event is a function of the current one: " << result.output;
}

TEST_F(TrainCommand, RefusesBadInputWithoutDamagingTheRunDir) {
  std::string run_dir = dir_ + "/run";
  ASSERT_EQ(run(base_flags(run_dir) + " --num_training_steps=3").status, 0);
  std::string checkpoint = checkpoint_path(run_dir + "/train", 3);
  std::string before = read_file(checkpoint);

  CommandResult other_config =
      run("--config=performance --run_dir=" + run_dir + " --sequence_example_file=" + examples_ +
          " --hparams=batch_size=4,rnn_layer_sizes=[16]");
  EXPECT_EQ(other_config.status, 1);
  EXPECT_NE(other_config.output.find("'performance_with_dynamics'"), std::string::npos)
      << other_config.output;
  EXPECT_NE(other_config.output.find("--config=performance"), std::string::npos);

  CommandResult other_shape =
      run("--config=performance_with_dynamics --run_dir=" + run_dir +
          " --sequence_example_file=" + examples_ + " --hparams=batch_size=4,rnn_layer_sizes=[32]");
  EXPECT_EQ(other_shape.status, 1);
  EXPECT_NE(other_shape.output.find("[404,64]"), std::string::npos) << other_shape.output;
  EXPECT_NE(other_shape.output.find("[420,128]"), std::string::npos) << other_shape.output;

  CommandResult missing =
      run(base_flags(dir_ + "/fresh") + " --sequence_example_file=" + dir_ + "/nope");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find(dir_ + "/nope"), std::string::npos) << missing.output;

  write_file_atomic(dir_ + "/empty.tfrecord", "");
  CommandResult empty =
      run(base_flags(dir_ + "/fresh") + " --sequence_example_file=" + dir_ + "/empty.tfrecord");
  EXPECT_EQ(empty.status, 1);
  EXPECT_NE(empty.output.find("empty"), std::string::npos) << empty.output;

  write_examples(dir_ + "/onehot.tfrecord", true, 3);
  CommandResult mismatch =
      run("--config=performance --run_dir=" + dir_ + "/fresh" + " --sequence_example_file=" + dir_ +
          "/onehot.tfrecord" + " --hparams=batch_size=4,rnn_layer_sizes=[16]");
  EXPECT_EQ(mismatch.status, 1);
  EXPECT_NE(mismatch.output.find("input size 388"), std::string::npos) << mismatch.output;
  EXPECT_NE(mismatch.output.find("356"), std::string::npos) << mismatch.output;

  CommandResult nan = run(base_flags(run_dir) +
                          " --num_training_steps=50 --hparams=batch_size=4,rnn_layer_sizes=[16],"
                          "learning_rate=1e38");
  EXPECT_EQ(nan.status, 1);
  EXPECT_NE(nan.output.find("NaN or Inf"), std::string::npos) << nan.output;
  EXPECT_NE(nan.output.find("model.ckpt-3.safetensors"), std::string::npos) << nan.output;
  EXPECT_EQ(read_file(checkpoint), before) << "the last good checkpoint stays as it was";
  EXPECT_EQ(latest_checkpoint(run_dir + "/train")->step, 3);

  write_file_atomic(checkpoint, before.substr(0, before.size() / 2));
  CommandResult corrupt = run(base_flags(run_dir) + " --num_training_steps=5");
  EXPECT_EQ(corrupt.status, 1);
  EXPECT_NE(corrupt.output.find(checkpoint), std::string::npos) << corrupt.output;
  EXPECT_EQ(read_file(checkpoint).size(), before.size() / 2) << "left for the user to inspect";
}

TEST_F(TrainCommand, WarmStartTakesWeightsButNotTheStep) {
  PRNN_REQUIRE_SHARED_DATA();
  std::string source = dir_ + "/source";
  ASSERT_EQ(run(base_flags(source) + " --num_training_steps=4").status, 0);
  std::string source_checkpoint = checkpoint_path(source + "/train", 4);
  std::string target = dir_ + "/target";
  CommandResult warm = run(base_flags(target) +
                           " --num_training_steps=1 --warm_start_bundle_file=" + source_checkpoint);
  ASSERT_EQ(warm.status, 0) << warm.output;
  EXPECT_NE(warm.output.find("weights from " + source_checkpoint), std::string::npos);
  Checkpoint started = read_checkpoint(checkpoint_path(target + "/train", 1));
  EXPECT_EQ(started.global_step, 1) << "a warm start begins at step 0";
  EXPECT_EQ(started.adam_step, 1) << "and with fresh Adam slots";

  // A Magenta bundle of another model is refused, naming both.
  const std::string polyphony = test_data::shared_dir() + "/fixtures/polyphony_rnn_2x64.mag";
  if (!fs::exists(polyphony)) GTEST_SKIP() << polyphony << " is not there (../shared missing)";
  CommandResult other = run(base_flags(dir_ + "/other") + " --warm_start_bundle_file=" + polyphony);
  EXPECT_EQ(other.status, 1);
  EXPECT_NE(other.output.find("'polyphony'"), std::string::npos) << other.output;
  EXPECT_NE(other.output.find("performance_with_dynamics"), std::string::npos) << other.output;
  EXPECT_FALSE(fs::exists(dir_ + "/other/train/model.ckpt-0.safetensors"));
}

TEST_F(TrainCommand, WarmUpScalesTheFirstUpdates) {
  // Warm-up over 4 steps from 0.004: the first update uses 0.004 / 4 = 0.001 exactly, so
  // one step equals one step of the constant 0.001, and differs from one of 0.004.
  auto one_step = [&](const std::string& name, const std::string& hparams) {
    CommandResult result = run("--config=performance_with_dynamics --run_dir=" + dir_ + "/" + name +
                               " --sequence_example_file=" + examples_ +
                               " --precision=fp32 --num_training_steps=1 --summary_frequency=1"
                               " --hparams=batch_size=4,rnn_layer_sizes=[16]," +
                               hparams);
    EXPECT_EQ(result.status, 0) << result.output;
    return std::make_pair(read_checkpoint(checkpoint_path(dir_ + "/" + name + "/train", 1)),
                          result.output);
  };
  auto [warm, warm_log] = one_step("warm", "learning_rate=0.004,warmup_steps=4");
  auto [constant, constant_log] = one_step("constant", "learning_rate=0.001");
  auto [fast, fast_log] = one_step("fast", "learning_rate=0.004");
  EXPECT_NE(warm_log.find("lr = 0.001,"), std::string::npos) << warm_log;
  EXPECT_NE(fast_log.find("lr = 0.004,"), std::string::npos) << fast_log;
  ASSERT_EQ(warm.weights.size(), constant.weights.size());
  for (size_t i = 0; i < warm.weights.size(); ++i) {
    EXPECT_EQ(warm.weights[i].values, constant.weights[i].values) << warm.weights[i].name;
  }
  EXPECT_NE(warm.weights[0].values, fast.weights[0].values);
}

TEST_F(TrainCommand, EvalKeepsTheBestCheckpointAndStopsTheRunEarly) {
  std::string run_dir = dir_ + "/best";
  ASSERT_EQ(run(base_flags(run_dir) + " --num_training_steps=3").status, 0);
  const std::string eval_flags = " --eval --eval_interval_secs=0.1 --eval_timeout_secs=5";
  CommandResult first = run(base_flags(run_dir) + eval_flags + " --num_training_steps=3");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("new best checkpoint (step 3)"), std::string::npos) << first.output;
  Checkpoint three = read_checkpoint(checkpoint_path(run_dir + "/train", 3));
  Checkpoint best = read_checkpoint(run_dir + "/train/best.safetensors");
  EXPECT_EQ(best.global_step, 3);
  EXPECT_EQ(best.weights[0].values, three.weights[0].values);

  // A much worse checkpoint at step 4 (every weight ×40: confident and wrong).
  Checkpoint worse = three;
  worse.global_step = 4;
  worse.adam_step = 4;
  for (NamedTensor& t : worse.weights)
    for (float& v : t.values) v *= 40;
  write_checkpoint(checkpoint_path(run_dir + "/train", 4), worse);
  CommandResult second =
      run(base_flags(run_dir) + eval_flags + " --num_training_steps=4 --early_stopping_patience=1");
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_EQ(second.output.find("new best"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("early stopping"), std::string::npos) << second.output;
  EXPECT_EQ(read_checkpoint(run_dir + "/train/best.safetensors").global_step, 3);
  ASSERT_TRUE(fs::exists(run_dir + "/train/early_stop.json"));

  CommandResult stopped = run(base_flags(run_dir) + " --num_training_steps=10");
  EXPECT_EQ(stopped.status, 0) << stopped.output;
  EXPECT_NE(stopped.output.find("early_stop.json"), std::string::npos) << stopped.output;
  EXPECT_EQ(latest_checkpoint(run_dir + "/train")->step, 4) << "no step was trained";
}

TEST_F(TrainCommand, SigkillMidRunLosesNoCheckpoint) {
  std::string run_dir = dir_ + "/killed";
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string config = "--config=performance_with_dynamics", run = "--run_dir=" + run_dir,
                file = "--sequence_example_file=" + examples_;
    ::execl(PRNN_BINARY, PRNN_BINARY, "train", config.c_str(), run.c_str(), file.c_str(),
            "--hparams=batch_size=4,rnn_layer_sizes=[64]", "--save_checkpoint_secs=0",
            "--num_checkpoints=1000", "--log=ERROR", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (list_checkpoints(run_dir + "/train").size() < 5 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  std::vector<CheckpointFile> files = list_checkpoints(run_dir + "/train");
  ASSERT_GE(files.size(), 5u);
  for (const CheckpointFile& file : files) {
    EXPECT_NO_THROW(read_checkpoint(file.path)) << file.path << " is half-written";
  }
  int64_t last = files.back().step;
  CommandResult resumed = run("--config=performance_with_dynamics --run_dir=" + run_dir +
                              " --sequence_example_file=" + examples_ +
                              " --hparams=batch_size=4,rnn_layer_sizes=[64] --num_training_steps=" +
                              std::to_string(last + 3));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming from " + files.back().path), std::string::npos)
      << resumed.output;
  EXPECT_EQ(latest_checkpoint(run_dir + "/train")->step, last + 3);
  for (auto& entry : fs::directory_iterator(run_dir + "/train")) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos)
        << "stale temporary left: " << entry.path();
  }
}

}  // namespace
}  // namespace prnn
