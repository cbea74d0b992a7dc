// TFRecord files: records concatenated with no header, each framed as
//   u64 length (LE) | u32 masked_crc32c(length bytes) | data | u32 masked_crc32c(data).
//
// TFRecordReader streams records from a file. A wrong CRC, a truncated record or a
// length larger than the rest of the file throws RecordError naming the file and the
// byte offset of the record; nothing is allocated beyond what the file holds. After a
// data-CRC error (recoverable() == true) the reader has moved past the bad record and
// next() may be called again; after a framing error the rest of the file is unreadable.
//
// TFRecordWriter writes atomically (see AtomicFileWriter): close() makes the file
// visible; a writer destroyed without close() leaves no file behind. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/file.h"

namespace prnn {

class RecordError : public InputError {
 public:
  RecordError(const std::string& message, bool recoverable)
      : InputError(message), recoverable_(recoverable) {}
  bool recoverable() const { return recoverable_; }

 private:
  bool recoverable_;
};

class TFRecordReader {
 public:
  explicit TFRecordReader(const std::string& path);
  ~TFRecordReader();
  TFRecordReader(const TFRecordReader&) = delete;
  TFRecordReader& operator=(const TFRecordReader&) = delete;

  // The next record, or nullopt at the clean end of the file.
  std::optional<std::string> next();
  // Byte offset of the record next() returns next.
  uint64_t offset() const { return offset_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t size_ = 0;
  uint64_t offset_ = 0;
  bool broken_ = false;
};

class TFRecordWriter {
 public:
  explicit TFRecordWriter(const std::string& path) : file_(path) {}
  void write(std::string_view record);
  void close() { file_.commit(); }
  uint64_t bytes_written() const { return file_.bytes_written(); }
  uint64_t records_written() const { return records_; }

 private:
  AtomicFileWriter file_;
  uint64_t records_ = 0;
};

// Frames one record (for writers that buffer in memory).
std::string frame_tfrecord(std::string_view record);

}  // namespace prnn
