// The eval job's best checkpoint and early stopping, on a tiny parameter arena.
#include "train/best_checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/error.h"
#include "base/file.h"
#include "model/checkpoint.h"

namespace prnn {
namespace {

std::string fresh_dir(const std::string& name) {
  std::string dir = testing::TempDir() + "best_checkpoint_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

ParamArena arena(float value) {
  ParamArena params(NetworkShape{InputLayout{0, {4}}, {2}, {4}});
  std::fill(params.values.begin(), params.values.end(), value);
  return params;
}

TEST(BestCheckpoint, KeepsTheLowestNllAndStopsAfterPatienceEvaluations) {
  const std::string dir = fresh_dir("keep");
  BestCheckpointKeeper keeper(dir, 2);
  EXPECT_TRUE(keeper.record(10, 3.0, "performance", "rnn_layer_sizes=[2]", arena(1)));
  EXPECT_FALSE(keeper.record(20, 3.5, "performance", "rnn_layer_sizes=[2]", arena(2)));
  EXPECT_TRUE(keeper.record(30, 2.0, "performance", "rnn_layer_sizes=[2]", arena(3)));
  Checkpoint best = read_checkpoint(keeper.best_path());
  EXPECT_EQ(best.global_step, 30);
  EXPECT_TRUE(best.adam_m.empty());
  EXPECT_EQ(best.weights[0].values[0], 3.0f);
  EXPECT_FALSE(keeper.record(40, 2.0, "performance", "rnn_layer_sizes=[2]", arena(4)));  // ties
  EXPECT_FALSE(keeper.should_stop());
  EXPECT_FALSE(early_stop_notice(dir));
  EXPECT_FALSE(keeper.record(50, 2.5, "performance", "rnn_layer_sizes=[2]", arena(5)));
  EXPECT_TRUE(keeper.should_stop());
  std::optional<std::string> notice = early_stop_notice(dir);
  ASSERT_TRUE(notice);
  EXPECT_NE(notice->find("step 30"), std::string::npos) << *notice;
  EXPECT_EQ(read_checkpoint(keeper.best_path()).global_step, 30) << "still the best";

  // A restarted eval job continues from best.json.
  BestCheckpointKeeper again(dir, 0);
  EXPECT_EQ(again.best_step(), 30);
  EXPECT_DOUBLE_EQ(again.best_nll(), 2.0);
  EXPECT_FALSE(again.record(60, 2.1, "performance", "rnn_layer_sizes=[2]", arena(6)));
  EXPECT_FALSE(again.should_stop()) << "patience 0: never stops";
}

TEST(BestCheckpoint, AMalformedRecordIsAnErrorNamingIt) {
  const std::string dir = fresh_dir("malformed");
  write_file_atomic(dir + "/best.json", "{\"step\": \"ten\"}");
  try {
    BestCheckpointKeeper keeper(dir, 0);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/best.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace prnn
