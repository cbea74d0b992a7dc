#include "model/sstable_reader.h"

#include <cstdint>
#include <cstring>

#include "base/crc32c.h"
#include "base/error.h"

namespace prnn {
namespace {

constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kFooterSize = 48;
constexpr size_t kBlockTrailerSize = 5;  // type byte + masked CRC32C

uint32_t load_u32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // little-endian host (x86-64)
}

// A cursor over a byte range that throws InputError on any overrun.
class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& source, const char* what)
      : bytes_(bytes), source_(source), what_(what) {}

  bool done() const { return pos_ >= bytes_.size(); }
  size_t pos() const { return pos_; }

  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) fail("truncated varint");
      uint8_t byte = static_cast<uint8_t>(bytes_[pos_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    fail("varint longer than 10 bytes");
  }

  std::string_view take(uint64_t n) {
    if (n > bytes_.size() - pos_) fail("length " + std::to_string(n) + " runs past the end");
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(source_ + ": checkpoint table " + what_ + " at byte " + std::to_string(pos_) +
                     ": " + message);
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  const std::string& source_;
  const char* what_;
};

struct BlockHandle {
  uint64_t offset = 0;
  uint64_t size = 0;
};

BlockHandle read_handle(Cursor& cursor) {
  BlockHandle handle;
  handle.offset = cursor.varint();
  handle.size = cursor.varint();
  return handle;
}

// The contents of the block at `handle`, CRC-checked and uncompressed.
std::string_view read_block(std::string_view table, BlockHandle handle, const std::string& source,
                            const char* what) {
  uint64_t limit = table.size() - kFooterSize;
  if (handle.offset > limit || handle.size > limit - handle.offset ||
      kBlockTrailerSize > limit - handle.offset - handle.size) {
    throw InputError(source + ": checkpoint table " + what + " block (offset " +
                     std::to_string(handle.offset) + ", size " + std::to_string(handle.size) +
                     ") lies outside the file of " + std::to_string(table.size()) + " bytes");
  }
  const char* start = table.data() + handle.offset;
  uint8_t type = static_cast<uint8_t>(start[handle.size]);
  uint32_t stored = load_u32(start + handle.size + 1);
  uint32_t actual = mask_crc(crc32c(start, handle.size + 1));
  if (stored != actual) {
    throw InputError(source + ": checkpoint table " + what + " block at offset " +
                     std::to_string(handle.offset) + " has a bad CRC32C (stored " +
                     std::to_string(stored) + ", computed " + std::to_string(actual) + ")");
  }
  if (type == 1) {
    throw InputError(source + ": checkpoint table " + what + " block at offset " +
                     std::to_string(handle.offset) +
                     " is snappy-compressed; only uncompressed tables (as TensorFlow's V1 "
                     "checkpoint writer makes them) are supported");
  }
  if (type != 0) {
    throw InputError(source + ": checkpoint table " + what + " block at offset " +
                     std::to_string(handle.offset) + " has unknown compression type " +
                     std::to_string(type));
  }
  return std::string_view(start, handle.size);
}

// Calls visit(key, value) for each entry of one block; `key` is reused across calls.
void for_each_block_entry(std::string_view block, const std::string& source, const char* what,
                          std::string& key,
                          const std::function<void(std::string_view, std::string_view)>& visit) {
  Cursor whole(block, source, what);
  if (block.size() < 4) whole.fail("block of " + std::to_string(block.size()) + " bytes");
  uint32_t restarts = load_u32(block.data() + block.size() - 4);
  if (restarts > (block.size() - 4) / 4) {
    whole.fail("restart count " + std::to_string(restarts) + " does not fit the block");
  }
  std::string_view entries = block.substr(0, block.size() - 4 - 4 * size_t{restarts});
  Cursor cursor(entries, source, what);
  key.clear();
  while (!cursor.done()) {
    uint64_t shared = cursor.varint();
    uint64_t non_shared = cursor.varint();
    uint64_t value_length = cursor.varint();
    if (shared > key.size()) {
      cursor.fail("entry shares " + std::to_string(shared) + " bytes of a " +
                  std::to_string(key.size()) + "-byte previous key");
    }
    std::string_view suffix = cursor.take(non_shared);
    std::string_view value = cursor.take(value_length);
    key.resize(shared);
    key.append(suffix);
    visit(key, value);
  }
}

}  // namespace

bool has_table_magic(std::string_view bytes) {
  if (bytes.size() < kFooterSize) return false;
  uint64_t magic = static_cast<uint64_t>(load_u32(bytes.data() + bytes.size() - 8)) |
                   static_cast<uint64_t>(load_u32(bytes.data() + bytes.size() - 4)) << 32;
  return magic == kTableMagic;
}

void for_each_table_entry(std::string_view table, const std::string& source,
                          const std::function<void(std::string_view, std::string_view)>& visit) {
  if (!has_table_magic(table)) {
    throw InputError(source + ": not a TensorFlow V1 checkpoint table (" +
                     std::to_string(table.size()) +
                     " bytes; the last 8 bytes are not the table magic 0xdb4775248b80fb57)");
  }
  Cursor footer(table.substr(table.size() - kFooterSize, kFooterSize - 8), source, "footer");
  read_handle(footer);  // the metaindex block: always empty in checkpoints
  BlockHandle index_handle = read_handle(footer);
  std::string_view index = read_block(table, index_handle, source, "index");

  std::string index_key, data_key;
  for_each_block_entry(index, source, "index", index_key,
                       [&](std::string_view, std::string_view handle_bytes) {
                         Cursor handle_cursor(handle_bytes, source, "index entry");
                         BlockHandle handle = read_handle(handle_cursor);
                         std::string_view block = read_block(table, handle, source, "data");
                         for_each_block_entry(block, source, "data", data_key, visit);
                       });
}

}  // namespace prnn
