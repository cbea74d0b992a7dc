#include "data/sequence_example_stream.h"

#include <filesystem>

#include "base/error.h"
#include "base/log.h"

namespace prnn {
namespace {

std::string record_place(const std::string& path, uint64_t index, uint64_t offset) {
  return path + ": record " + std::to_string(index) + " (byte offset " + std::to_string(offset) +
         ")";
}

void require_nonempty_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw InputError(path +
                     ": example file not found (give the training_performances.tfrecord "
                     "written by performance_rnn_create_dataset)");
  }
  if (file_size(path) == 0) throw InputError(path + ": example file is empty");
}

}  // namespace

SequenceExampleStream::SequenceExampleStream(const std::string& path,
                                             const PerformanceConfig& config, uint64_t seed,
                                             size_t shuffle_capacity, RecordShard shard)
    : path_(path), decoder_(config), shard_(shard), rng_(seed) {
  PRNN_CHECK(shuffle_capacity >= 1 && shard.count >= 1 && shard.index >= 0 &&
             shard.index < shard.count);
  require_nonempty_file(path);
  reader_ = std::make_unique<TFRecordReader>(path);
  // Fill the buffer: the capacity, or the whole file when it is smaller.
  while (buffer_.size() < shuffle_capacity) {
    EncodedExample example;
    uint64_t before = record_index_;
    read_next(example);
    buffer_.push_back(std::move(example));
    if (record_index_ <= before) break;  // wrapped around: the whole file is buffered
  }
}

void SequenceExampleStream::read_next(EncodedExample& out) {
  for (;;) {
    uint64_t offset = reader_->offset();
    std::optional<std::string> record;
    try {
      record = reader_->next();
    } catch (const RecordError& e) {
      if (!e.recoverable()) throw;
      log_warn(std::string(e.what()) + " (record skipped)");
      ++record_index_;
      continue;
    }
    if (!record) {
      if (!file_has_examples_) {
        throw InputError(path_ + ": holds no examples with steps" +
                         (shard_.count == 1 ? std::string()
                                            : " in shard " + std::to_string(shard_.index) + " of " +
                                                  std::to_string(shard_.count) + " (records i % " +
                                                  std::to_string(shard_.count) +
                                                  " == " + std::to_string(shard_.index) + ")"));
      }
      reader_ = std::make_unique<TFRecordReader>(path_);
      record_index_ = 0;
      continue;
    }
    if (record_index_ % shard_.count != static_cast<uint64_t>(shard_.index)) {
      ++record_index_;
      continue;
    }
    decoder_.decode(*record, record_place(path_, record_index_, offset), out);
    ++record_index_;
    if (out.num_steps > 0) {
      file_has_examples_ = true;
      return;
    }
  }
}

void SequenceExampleStream::next(EncodedExample& out) {
  std::uniform_int_distribution<size_t> pick(0, buffer_.size() - 1);
  EncodedExample& slot = buffer_[pick(rng_)];
  out = std::move(slot);
  read_next(slot);
}

uint64_t for_each_sequence_example(const std::string& path, const PerformanceConfig& config,
                                   const std::function<void(EncodedExample&)>& visit) {
  require_nonempty_file(path);
  SequenceExampleDecoder decoder(config);
  TFRecordReader reader(path);
  EncodedExample example;
  uint64_t index = 0;
  for (;;) {
    uint64_t offset = reader.offset();
    std::optional<std::string> record = reader.next();
    if (!record) break;
    decoder.decode(*record, record_place(path, index, offset), example);
    ++index;
    if (example.num_steps > 0) visit(example);
  }
  return index;
}

}  // namespace prnn
