#include "nn/thread_chooser.h"

#include <gtest/gtest.h>

#include <vector>

namespace prnn {
namespace {

// Runs `ops` operations through the chooser, each taking seconds_per_unit[threads] per unit
// of `work`; returns the thread count of each operation.
std::vector<int> run(ThreadChooser& chooser, int ops, double one, double two, double work = 1) {
  std::vector<int> used;
  for (int i = 0; i < ops; ++i) {
    const int threads = chooser.threads();
    used.push_back(threads);
    chooser.record((threads == 1 ? one : two) * work, work);
  }
  return used;
}

int count(const std::vector<int>& v, int from, int to, int threads) {
  int n = 0;
  for (int i = from; i < to; ++i) n += v[i] == threads;
  return n;
}

constexpr int kTrial = ThreadChooser::kTrialOps, kExploit = ThreadChooser::kExploitOps;

TEST(ThreadChooserTest, TriesBothThenKeepsTheFaster) {
  ThreadChooser chooser(2);
  const std::vector<int> used = run(chooser, 2 * kTrial + kExploit, 1.0, 0.6);
  EXPECT_EQ(count(used, 0, kTrial, 1), kTrial);
  EXPECT_EQ(count(used, kTrial, 2 * kTrial, 2), kTrial);
  EXPECT_EQ(count(used, 2 * kTrial, 2 * kTrial + kExploit, 2), kExploit);

  ThreadChooser slower(2);
  const std::vector<int> kept = run(slower, 2 * kTrial + kExploit, 1.0, 1.7);
  EXPECT_EQ(count(kept, 2 * kTrial, 2 * kTrial + kExploit, 1), kExploit);
}

TEST(ThreadChooserTest, FollowsAChangeOfLoadAtTheNextTrial) {
  ThreadChooser chooser(2);
  run(chooser, 2 * kTrial + kExploit, 1.0, 0.5);  // quiet: two threads chosen
  // Another process now holds a core: two threads are 5x slower than one.
  const std::vector<int> used = run(chooser, 2 * kTrial + kExploit, 1.0, 5.0);
  EXPECT_EQ(count(used, 2 * kTrial, 2 * kTrial + kExploit, 1), kExploit);
}

TEST(ThreadChooserTest, ComparesTimePerUnitOfWork) {
  // One thread's trial ops are 4x larger (more streams): still faster per stream.
  ThreadChooser chooser(2);
  for (int i = 0; i < 2 * kTrial; ++i) {
    const int threads = chooser.threads();
    const double work = threads == 1 ? 40 : 10;
    chooser.record((threads == 1 ? 1.0 : 1.5) * work, work);
  }
  EXPECT_EQ(chooser.threads(), 1);
}

TEST(ThreadChooserTest, OneThreadMachineNeverTriesMore) {
  ThreadChooser chooser(1);
  const std::vector<int> used = run(chooser, 3 * kTrial, 1.0, 0.1);
  EXPECT_EQ(count(used, 0, 3 * kTrial, 1), 3 * kTrial);
}

}  // namespace
}  // namespace prnn
