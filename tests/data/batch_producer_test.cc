// The batch producer against a scripted stream: batches hold the stream's examples in the
// order drawn, padded as build_batch pads them, with the label time and event counts they
// claim; a stream error reaches the consumer; the destructor stops a producer blocked on a
// full queue.
#include "data/batch_producer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "base/error.h"
#include "data/batch_builder.h"
#include "performance/config.h"

namespace prnn {
namespace {

// Example n has n % 5 + 1 steps; its one-hot input at step t is n, its label a time
// shift of n % 7 + 1 steps (so label time is known) at every step. Throws InputError at
// example `fail_at` (or never).
class CountingStream : public ExampleStream {
 public:
  explicit CountingStream(int fail_at = -1, std::atomic<int>* drawn = nullptr)
      : fail_at_(fail_at), drawn_(drawn) {}
  void next(EncodedExample& out) override {
    const int n = next_++;
    if (drawn_) drawn_->store(next_);
    if (n == fail_at_) throw InputError("scripted.tfrecord: record " + std::to_string(n) + " bad");
    out.num_steps = n % 5 + 1;
    out.dense.clear();
    out.onehot.assign(out.num_steps, n);
    out.labels.assign(out.num_steps, kTimeShiftOffset + n % 7 + 1);
  }

 private:
  int next_ = 0;
  int fail_at_;
  std::atomic<int>* drawn_;
};

const PerformanceConfig& config() { return find_performance_config("performance"); }

TEST(BatchProducer, BatchesHoldTheStreamsExamplesInOrder) {
  constexpr int kBatch = 4;
  BatchProducer producer(std::make_unique<CountingStream>(), config(), kBatch);
  CountingStream oracle;  // the same script, batched by hand
  for (int b = 0; b < 5; ++b) {
    ProducedBatch got;
    producer.next(got);
    std::vector<EncodedExample> examples(kBatch);
    double label_steps = 0;
    int64_t events = 0;
    for (EncodedExample& e : examples) {
      oracle.next(e);
      label_steps += config().labels_to_num_steps(e.labels);
      events += e.num_steps;
    }
    Batch want;
    build_batch(examples, config().input_layout(), config().num_heads(), want);
    EXPECT_EQ(got.batch.lengths, want.lengths) << "batch " << b;
    EXPECT_EQ(got.batch.onehot, want.onehot) << "batch " << b;
    EXPECT_EQ(got.batch.labels, want.labels) << "batch " << b;
    EXPECT_EQ(got.batch.max_length, want.max_length) << "batch " << b;
    EXPECT_DOUBLE_EQ(got.label_steps, label_steps) << "batch " << b;
    EXPECT_EQ(got.events, events) << "batch " << b;
  }
}

TEST(BatchProducer, AStreamErrorReachesTheConsumer) {
  BatchProducer producer(std::make_unique<CountingStream>(6), config(), 4);
  ProducedBatch batch;
  producer.next(batch);  // examples 0-3
  try {
    producer.next(batch);  // example 6 fails while the second batch is drawn
    FAIL() << "the stream's error was not rethrown";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scripted.tfrecord: record 6"), std::string::npos)
        << e.what();
  }
}

TEST(BatchProducer, KeepsAtMostQueueDepthBatchesAndStopsWhenDestroyed) {
  std::atomic<int> drawn{0};
  {
    BatchProducer producer(std::make_unique<CountingStream>(-1, &drawn), config(), 2,
                           /*queue_depth=*/2);
    ProducedBatch batch;
    producer.next(batch);
    // Give the producer time to fill its queue; it must then block, not run ahead.
    for (int i = 0; i < 200 && drawn.load() < 6; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // One batch taken + two queued + at most one being built: 4 batches of 2.
    EXPECT_LE(drawn.load(), 8);
    EXPECT_GE(drawn.load(), 6);
  }  // the destructor must return although the producer is blocked on the full queue
  SUCCEED();
}

}  // namespace
}  // namespace prnn
