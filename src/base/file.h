// File helpers. Every failure throws InputError naming the path and the system's reason.
//
// AtomicFileWriter writes to a temporary file beside the destination and, on commit(),
// flushes, fsyncs and renames it into place, so readers see the old file or the whole
// new one, never a partial one. A writer destroyed without commit() removes its
// temporary file and leaves the destination untouched. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace prnn {

std::string read_file(const std::string& path);
// Writes the whole content atomically (AtomicFileWriter).
void write_file_atomic(const std::string& path, std::string_view content);
uint64_t file_size(const std::string& path);
// The folder of the running executable (/proc/self/exe), or "" when it cannot be read.
std::string executable_dir();

class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(std::string_view bytes);
  // Starts writing what was written so far to disk without waiting for it, so commit()'s
  // fsync has little left to do (large outputs); a no-op where unsupported.
  void start_writeback();
  uint64_t bytes_written() const { return bytes_written_; }
  // Makes the file visible under its final name. REQUIRES: not yet committed.
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  uint64_t bytes_written_ = 0;
};

}  // namespace prnn
