#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/error.h"

namespace prnn {
namespace {

std::string system_reason() { return std::strerror(errno); }

std::string unique_temp_name(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

}  // namespace

std::string read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open: " + system_reason());
  std::string content;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) content.append(buffer, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) throw InputError(path + ": read error");
  return content;
}

uint64_t file_size(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw InputError(path + ": " + system_reason());
  return static_cast<uint64_t>(st.st_size);
}

void write_file_atomic(const std::string& path, std::string_view content) {
  AtomicFileWriter writer(path);
  writer.write(content);
  writer.commit();
}

AtomicFileWriter::AtomicFileWriter(std::string path)
    : path_(std::move(path)), temp_path_(unique_temp_name(path_)) {
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (!file_) throw InputError(path_ + ": cannot create " + temp_path_ + ": " + system_reason());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_) {
    std::fclose(file_);
    std::remove(temp_path_.c_str());
  }
}

void AtomicFileWriter::write(std::string_view bytes) {
  PRNN_CHECK(file_ != nullptr);
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    throw InputError(path_ + ": write failed: " + system_reason());
  }
  bytes_written_ += bytes.size();
}

void AtomicFileWriter::start_writeback() {
  PRNN_CHECK(file_ != nullptr);
  if (std::fflush(file_) != 0) throw InputError(path_ + ": write failed: " + system_reason());
#ifdef __linux__
  ::sync_file_range(::fileno(file_), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void AtomicFileWriter::commit() {
  PRNN_CHECK(file_ != nullptr);
  bool ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  std::string reason = ok ? "" : system_reason();
  ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  if (!ok || std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    if (reason.empty()) reason = system_reason();
    std::remove(temp_path_.c_str());
    throw InputError(path_ + ": could not write: " + reason);
  }
}

std::string executable_dir() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.parent_path().string();
}

}  // namespace prnn
