// gzip (RFC 1952) compression of whole in-memory files, over zlib. Used for model files
// shipped or exported with a ".gz" name; readers accept either form, so a compressed and a
// plain file are interchangeable wherever a checkpoint or model is read.
// Errors: corrupt or truncated input, or output past kMaxGunzipBytes, throw InputError
// naming `source`. Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace prnn {

inline constexpr size_t kMaxGunzipBytes = size_t{4} << 30;

// True when the bytes start with the gzip magic (1f 8b).
bool is_gzip(std::string_view bytes);
std::string gzip_compress(std::string_view bytes);
std::string gunzip(std::string_view bytes, const std::string& source);
// The file's contents, decompressed when they are gzip; InputError naming the path.
std::string read_file_gunzipped(const std::string& path);

}  // namespace prnn
