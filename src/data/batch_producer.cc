#include "data/batch_producer.h"

#include <chrono>
#include <vector>

#include "data/batch_builder.h"

namespace prnn {

BatchProducer::BatchProducer(std::unique_ptr<ExampleStream> stream, const PerformanceConfig& config,
                             int batch_size, int queue_depth)
    : stream_(std::move(stream)),
      config_(config),
      batch_size_(batch_size),
      queue_depth_(queue_depth),
      thread_([this] { run(); }) {}

BatchProducer::~BatchProducer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BatchProducer::run() {
  const InputLayout layout = config_.input_layout();
  const int heads = config_.num_heads();
  std::vector<EncodedExample> examples(batch_size_);
  try {
    for (;;) {
      ProducedBatch produced;
      for (EncodedExample& example : examples) {
        stream_->next(example);
        produced.label_steps += static_cast<double>(config_.labels_to_num_steps(example.labels));
        produced.events += example.num_steps;
      }
      build_batch(examples, layout, heads, produced.batch);
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || ready_.size() < queue_depth_; });
      if (stopping_) return;
      ready_.push_back(std::move(produced));
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
    changed_.notify_all();
  }
}

void BatchProducer::next(ProducedBatch& out) {
  auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || error_; });
  if (ready_.empty()) std::rethrow_exception(error_);
  out = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  seconds_waited_ +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace prnn
