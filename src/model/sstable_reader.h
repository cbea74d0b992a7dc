// Reads the immutable sorted tables (LevelDB's SSTable format) that TensorFlow V1
// checkpoints are stored in: data blocks, a metaindex block, an index block and a
// 48-byte footer ending in the magic 0xdb4775248b80fb57. doc/formats/magenta_bundle.md
// describes the layout.
//
// for_each_table_entry walks every data block in file order, checks each block's
// masked CRC32C and type (0 = uncompressed; snappy blocks are refused), rebuilds the
// prefix-compressed keys and calls `visit(key, value)` for each entry. Keys and values
// are views into `table`, valid as long as it is. Nothing is allocated beyond one key
// buffer no larger than the input. Every malformed input throws InputError naming
// `source` and what is wrong. Thread-safe (no shared state).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace prnn {

void for_each_table_entry(
    std::string_view table, const std::string& source,
    const std::function<void(std::string_view key, std::string_view value)>& visit);

// True when `bytes` ends with the table magic (a cheap format sniff).
bool has_table_magic(std::string_view bytes);

}  // namespace prnn
