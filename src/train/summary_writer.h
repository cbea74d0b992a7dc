// TensorBoard event files: R/train/events.out.tfevents.<seconds>.<host>, a TFRecord
// stream of tensorflow.Event protos (proto/tf_event.proto). The first record carries
// file_version "brain.Event:2"; each add_scalars() call appends one Event with a Summary
// of simple_value scalars and flushes it, so TensorBoard sees it at once and a killed
// process loses at most the record being written (TensorBoard skips a truncated tail).
//
// Throws InputError naming the file when it cannot be created or written. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace prnn {

class SummaryWriter {
 public:
  // Creates `directory` (and parents) if needed and a new event file in it.
  explicit SummaryWriter(const std::string& directory);
  ~SummaryWriter();
  SummaryWriter(const SummaryWriter&) = delete;
  SummaryWriter& operator=(const SummaryWriter&) = delete;

  void add_scalars(int64_t step, const std::vector<std::pair<std::string, float>>& scalars);
  const std::string& path() const { return path_; }

 private:
  void write_event(const std::string& serialized_event);

  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace prnn
