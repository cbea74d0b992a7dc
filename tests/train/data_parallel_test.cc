// The agreements between ranks (train/data_parallel.h) seen from rank 0 of two, with the
// other rank's contributions scripted.
#include "train/data_parallel.h"

#include <gtest/gtest.h>

#include <cstring>
#include <deque>

namespace prnn {
namespace {

// Rank 0 of 2; the peer's allgather values, broadcast bytes and summands are scripted.
class ScriptedPeer final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 2; }
  std::string description() const override { return "scripted"; }
  std::vector<int64_t> allgather(std::span<const int64_t> values) override {
    EXPECT_EQ(values.size(), peer_values.size());
    std::vector<int64_t> all(values.begin(), values.end());
    all.insert(all.end(), peer_values.begin(), peer_values.end());
    return all;
  }
  void broadcast(std::span<std::byte> data, int root) override {
    if (root == 0) return;
    ASSERT_FALSE(peer_broadcasts.empty());
    ASSERT_EQ(peer_broadcasts.front().size(), data.size());
    std::memcpy(data.data(), peer_broadcasts.front().data(), data.size());
    peer_broadcasts.pop_front();
  }
  void sum(std::span<double> values) override {
    ASSERT_EQ(values.size(), peer_summands.size());
    for (size_t i = 0; i < values.size(); ++i) values[i] += peer_summands[i];
  }
  void start_sum(std::span<float>) override {}
  double finish_sums() override { return 0; }

  // What rank 1 sends when it broadcasts `text` with broadcast_string.
  void peer_sends_string(const std::string& text) {
    int64_t length = static_cast<int64_t>(text.size());
    std::string bytes(sizeof length, '\0');
    std::memcpy(bytes.data(), &length, sizeof length);
    peer_broadcasts.push_back(bytes);
    peer_broadcasts.push_back(text);
  }

  std::vector<int64_t> peer_values;
  std::deque<std::string> peer_broadcasts;
  std::vector<double> peer_summands;
};

TEST(DataParallel, StepAgreementSumsPredictionsAndSharesStopRequests) {
  ScriptedPeer comm;
  comm.peer_values = {250, 0, 0};
  StepAgreement a = agree_on_step(comm, 300, false, "");
  EXPECT_EQ(a.global_predictions, 550);
  EXPECT_FALSE(a.stop);
  comm.peer_values = {250, 1, 0};
  EXPECT_TRUE(agree_on_step(comm, 300, false, "").stop) << "the peer was asked to stop";
}

TEST(DataParallel, APeersDataErrorStopsThisRankWithThatMessage) {
  ScriptedPeer comm;
  comm.peer_values = {0, 0, 1};
  comm.peer_sends_string("shard.tfrecord: record 41 (byte offset 9000): not a SequenceExample");
  try {
    agree_on_step(comm, 300, false, "");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "rank 1 of 2: shard.tfrecord: record 41 (byte offset 9000): not a "
                 "SequenceExample");
  }
  EXPECT_TRUE(comm.peer_broadcasts.empty());
}

TEST(DataParallel, ChecksumMismatchStopsNamingTheStepAndEachRank) {
  ParamArena params(NetworkShape{{0, {5}}, {4}, {5}});
  for (size_t i = 0; i < params.values.size(); ++i) params.values[i] = 0.01f * i;
  const uint32_t mine = parameter_checksum(params);
  ScriptedPeer comm;
  comm.peer_values = {mine};
  EXPECT_NO_THROW(check_replicas_agree(comm, params, 200));
  ParamArena changed = params;
  changed.values[3] = std::nextafter(changed.values[3], 1.0f);  // one ulp
  comm.peer_values = {parameter_checksum(changed)};
  ASSERT_NE(comm.peer_values[0], mine);
  try {
    check_replicas_agree(comm, params, 400);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("step 400"), std::string::npos) << message;
    char expected[64];
    std::snprintf(expected, sizeof expected, "rank 0 %08x, rank 1 %08x", mine,
                  static_cast<unsigned>(comm.peer_values[0]));
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
}

TEST(DataParallel, MetricsAreSummedOverRanks) {
  ScriptedPeer comm;
  BatchStats stats;
  stats.cross_entropy_sum = 10.5;
  stats.predictions = 100;
  stats.correct = 30;
  double label_steps = 7.25;
  int64_t events = 100;
  comm.peer_summands = {4.5, 50, 20, 0, 0, 0, 0, 2.75, 50};
  sum_over_ranks(comm, stats, label_steps, events);
  EXPECT_DOUBLE_EQ(stats.loss(), 15.0 / 150);
  EXPECT_DOUBLE_EQ(stats.accuracy(), 50.0 / 150);
  EXPECT_DOUBLE_EQ(label_steps, 10.0);
  EXPECT_EQ(events, 150);
}

TEST(DataParallel, OneProcessIsLeftAlone) {
  SingleProcessCommunicator one;
  EXPECT_EQ(agree_on_step(one, 42, false, "").global_predictions, 42);
  EXPECT_THROW(agree_on_step(one, 42, false, "bad file"), InputError);
  ParamArena params(NetworkShape{{0, {5}}, {4}, {5}});
  EXPECT_NO_THROW(check_replicas_agree(one, params, 200));
  EXPECT_EQ(one.broadcast_string("run/train/model.ckpt-5.safetensors", 0),
            "run/train/model.ckpt-5.safetensors");
}

}  // namespace
}  // namespace prnn
