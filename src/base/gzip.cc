#include "base/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "base/error.h"
#include "base/file.h"

namespace prnn {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer
constexpr size_t kChunk = size_t{1} << 20;

// One zlib call (`step`: deflate or inflate) with the next slice of the input and a fresh
// output chunk appended to `out`; `unread` counts the input zlib has not consumed yet.
template <typename Step>
int run_chunk(z_stream& stream, size_t& unread, std::string& out, Step step) {
  stream.avail_in = static_cast<uInt>(std::min<size_t>(unread, std::numeric_limits<uInt>::max()));
  unread -= stream.avail_in;
  const size_t used = out.size();
  out.resize(used + kChunk);
  stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
  stream.avail_out = static_cast<uInt>(kChunk);
  const int status = step();
  unread += stream.avail_in;
  out.resize(used + kChunk - stream.avail_out);
  return status;
}

}  // namespace

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gzip_compress(std::string_view bytes) {
  z_stream stream{};
  PRNN_CHECK(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 9,
                          Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  size_t unread = bytes.size();
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    status = run_chunk(stream, unread, out,
                       [&] { return deflate(&stream, unread == 0 ? Z_FINISH : Z_NO_FLUSH); });
    PRNN_CHECK(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR);
  }
  deflateEnd(&stream);
  return out;
}

std::string gunzip(std::string_view bytes, const std::string& source) {
  z_stream stream{};
  PRNN_CHECK(inflateInit2(&stream, kGzipWindowBits) == Z_OK);
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  size_t unread = bytes.size();
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (out.size() >= kMaxGunzipBytes) {
      inflateEnd(&stream);
      throw InputError(source + ": gzip data inflates past " +
                       std::to_string(kMaxGunzipBytes >> 30) + " GiB");
    }
    status = run_chunk(stream, unread, out, [&] { return inflate(&stream, Z_NO_FLUSH); });
    // Z_BUF_ERROR with fresh output space means the input ran out before the trailer.
    if (status == Z_BUF_ERROR || (status == Z_OK && unread == 0 && stream.avail_out != 0)) {
      inflateEnd(&stream);
      throw InputError(source + ": gzip data is truncated");
    }
    if (status != Z_OK && status != Z_STREAM_END) {
      std::string reason = stream.msg ? stream.msg : "zlib error " + std::to_string(status);
      inflateEnd(&stream);
      throw InputError(source + ": gzip data is corrupt (" + reason + ")");
    }
  }
  inflateEnd(&stream);
  return out;
}

std::string read_file_gunzipped(const std::string& path) {
  std::string bytes = read_file(path);
  return is_gzip(bytes) ? gunzip(bytes, path) : bytes;
}

}  // namespace prnn
