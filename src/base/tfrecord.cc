#include "base/tfrecord.h"

#include <cstring>

#include "base/crc32c.h"

namespace prnn {
namespace {

void put_u32(char* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (8 * i));
}
void put_u64(char* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
}
uint32_t get_u32(const unsigned char* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t get_u64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

TFRecordReader::TFRecordReader(const std::string& path) : path_(path) {
  size_ = file_size(path);
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw InputError(path + ": cannot open: " + std::strerror(errno));
}

TFRecordReader::~TFRecordReader() {
  if (file_) std::fclose(file_);
}

std::optional<std::string> TFRecordReader::next() {
  if (broken_ || offset_ == size_) return std::nullopt;
  auto where = [this](const std::string& what) {
    return path_ + ": record at byte offset " + std::to_string(offset_) + ": " + what;
  };
  unsigned char header[12];
  if (size_ - offset_ < 12 || std::fread(header, 1, 12, file_) != 12) {
    broken_ = true;
    throw RecordError(
        where("truncated header (" + std::to_string(size_ - offset_) + " bytes left, 12 needed)"),
        false);
  }
  uint64_t length = get_u64(header);
  if (mask_crc(crc32c(header, 8)) != get_u32(header + 8)) {
    broken_ = true;
    throw RecordError(where("length checksum mismatch (corrupt framing)"), false);
  }
  uint64_t remaining = size_ - offset_ - 12;
  if (length > remaining || remaining - length < 4) {
    broken_ = true;
    throw RecordError(where("length " + std::to_string(length) + " exceeds the " +
                            std::to_string(remaining) + " bytes left (truncated record)"),
                      false);
  }
  std::string data(length, '\0');
  unsigned char footer[4];
  if (std::fread(data.data(), 1, length, file_) != length || std::fread(footer, 1, 4, file_) != 4) {
    broken_ = true;
    throw RecordError(where("read error"), false);
  }
  uint64_t record_offset = offset_;
  offset_ += 12 + length + 4;
  if (mask_crc(crc32c(data.data(), data.size())) != get_u32(footer)) {
    throw RecordError(path_ + ": record at byte offset " + std::to_string(record_offset) +
                          ": data checksum mismatch",
                      true);
  }
  return data;
}

std::string frame_tfrecord(std::string_view record) {
  std::string out(12 + record.size() + 4, '\0');
  put_u64(out.data(), record.size());
  put_u32(out.data() + 8, mask_crc(crc32c(out.data(), 8)));
  std::memcpy(out.data() + 12, record.data(), record.size());
  put_u32(out.data() + 12 + record.size(), mask_crc(crc32c(record.data(), record.size())));
  return out;
}

void TFRecordWriter::write(std::string_view record) {
  file_.write(frame_tfrecord(record));
  ++records_;
}

}  // namespace prnn
