// A background thread that draws examples from an ExampleStream, pads them into
// Batches and keeps up to `queue_depth` of them ready, so the trainer does not wait on
// data. Each batch also carries its label time (Σ labels_to_num_steps, for
// metrics/loss_per_step) and its event count.
//
// Thread safety: next() is called by one consumer thread; the stream is used only by
// the producer thread. An exception in the producer (bad outside data) is rethrown by
// the next call to next(). The destructor stops and joins the thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "nn/batch.h"
#include "data/example_stream.h"
#include "performance/config.h"

namespace prnn {

struct ProducedBatch {
  Batch batch;
  double label_steps = 0;  // Σ over examples of config.labels_to_num_steps(labels)
  int64_t events = 0;      // real positions (Σ lengths)
};

class BatchProducer {
 public:
  BatchProducer(std::unique_ptr<ExampleStream> stream, const PerformanceConfig& config,
                int batch_size, int queue_depth = 3);
  ~BatchProducer();
  BatchProducer(const BatchProducer&) = delete;
  BatchProducer& operator=(const BatchProducer&) = delete;

  // Blocks until a batch is ready and moves it into `out`.
  void next(ProducedBatch& out);
  // Seconds next() has spent waiting for the producer so far.
  double seconds_waited() const { return seconds_waited_; }

 private:
  void run();

  std::unique_ptr<ExampleStream> stream_;
  const PerformanceConfig& config_;
  int batch_size_;
  size_t queue_depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ProducedBatch> ready_;
  std::exception_ptr error_;
  bool stopping_ = false;
  double seconds_waited_ = 0;
  std::thread thread_;
};

}  // namespace prnn
