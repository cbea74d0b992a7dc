// SequenceExampleStream: a shuffle buffer of one keeps the file order, and the shards of
// data-parallel training (records i % N == r) are disjoint and together the whole file.
#include "data/sequence_example_stream.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../train/train_test_util.h"
#include "base/error.h"
#include "performance/config.h"

namespace prnn {
namespace {

class SequenceExampleStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "stream_test_" + std::to_string(::getpid()) + ".tfrecord";
    testing::write_examples(path_, false, 6);
    for_each_sequence_example(path_, config_,
                              [&](EncodedExample& e) { file_.push_back(e.labels); });
    ASSERT_EQ(file_.size(), 6u);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  const PerformanceConfig& config_ = find_performance_config("performance_with_dynamics");
  std::string path_;
  std::vector<std::vector<int64_t>> file_;  // labels of each record, file order
};

TEST_F(SequenceExampleStreamTest, ABufferOfOneReadsTheFileInOrderAndWraps) {
  SequenceExampleStream stream(path_, config_, 1, 1);
  EncodedExample e;
  for (int i = 0; i < 14; ++i) {
    stream.next(e);
    EXPECT_EQ(e.labels, file_[i % 6]) << "draw " << i;
  }
}

TEST_F(SequenceExampleStreamTest, ShardsAreDisjointAndInterleaveToTheFile) {
  for (int count : {2, 3}) {
    std::vector<std::unique_ptr<SequenceExampleStream>> shards;
    for (int r = 0; r < count; ++r) {
      shards.push_back(
          std::make_unique<SequenceExampleStream>(path_, config_, 1, 1, RecordShard{r, count}));
    }
    EncodedExample e;
    for (int i = 0; i < 12; ++i) {  // round-robin over the shards = the file's order
      shards[i % count]->next(e);
      EXPECT_EQ(e.labels, file_[i % 6]) << count << " shards, draw " << i;
    }
  }
}

TEST_F(SequenceExampleStreamTest, AnEmptyShardIsAnErrorNamingIt) {
  try {
    SequenceExampleStream stream(path_, config_, 1, 500, RecordShard{7, 8});
    FAIL() << "shard 7 of 8 of a 6-record file has no examples";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("shard 7 of 8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path_), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace prnn
