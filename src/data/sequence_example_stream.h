// SequenceExample files of the dataset stage as training and eval data.
//
// SequenceExampleStream loops over the file forever, as Magenta's input queue does,
// through a shuffle buffer (Magenta's: capacity 500, or the whole file if smaller)
// driven by a seeded generator, so a seed gives the same order. The constructor reads
// and decodes the first records, so an empty or missing file, or examples of another
// config, fail at once with InputError naming the file. A record with a bad CRC is
// skipped with a warning; a broken framing or an undecodable example throws InputError.
// A shard (data-parallel training) reads only records i with i % count == index (the
// others are framed and CRC-checked but not decoded); capacity 1 keeps the file order.
//
// for_each_sequence_example visits every example of a file once, in file order (the eval
// job). Neither is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "data/example_stream.h"
#include "data/sequence_example_decoder.h"
#include "base/tfrecord.h"

namespace prnn {

struct RecordShard {
  int index = 0;
  int count = 1;
};

class SequenceExampleStream : public ExampleStream {
 public:
  SequenceExampleStream(const std::string& path, const PerformanceConfig& config, uint64_t seed,
                        size_t shuffle_capacity = 500, RecordShard shard = {});
  void next(EncodedExample& out) override;

 private:
  // Reads the next usable example, reopening the file at its end.
  void read_next(EncodedExample& out);

  std::string path_;
  SequenceExampleDecoder decoder_;
  std::unique_ptr<TFRecordReader> reader_;
  RecordShard shard_;
  uint64_t record_index_ = 0;
  bool file_has_examples_ = false;
  std::vector<EncodedExample> buffer_;
  std::mt19937_64 rng_;
};

// Calls `visit` with each example of the file that has at least one step; returns the
// number of records read. Throws InputError for missing files or bad records.
uint64_t for_each_sequence_example(const std::string& path, const PerformanceConfig& config,
                                   const std::function<void(EncodedExample&)>& visit);

}  // namespace prnn
