#include "model/ordered_code.h"

#include <bit>

namespace prnn::ordered_code {

bool read_unsigned(std::string_view& in, uint64_t* value) {
  if (in.empty()) return false;
  size_t length = static_cast<uint8_t>(in[0]);
  if (length > 8 || in.size() < 1 + length) return false;
  uint64_t v = 0;
  for (size_t i = 1; i <= length; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  in.remove_prefix(1 + length);
  *value = v;
  return true;
}

bool read_signed(std::string_view& in, int64_t* value) {
  if (in.empty()) return false;
  uint8_t first = static_cast<uint8_t>(in[0]);
  bool negative = !(first & 0x80);
  uint8_t flip = negative ? 0xff : 0x00;
  // The length is the run of sign bits at the front, continuing into the second byte.
  int length = std::countl_one(static_cast<uint8_t>(first ^ flip));
  if (length == 8) {
    if (in.size() < 2) return false;
    length += std::countl_one(static_cast<uint8_t>(static_cast<uint8_t>(in[1]) ^ flip));
  }
  if (length < 1 || length > 10 || in.size() < static_cast<size_t>(length)) return false;
  // Remove the header bits (the leading `length` bits), then sign-extend big-endian bytes.
  uint64_t v = negative ? ~uint64_t{0} : 0;
  for (int i = 0; i < length; ++i) {
    uint8_t byte = static_cast<uint8_t>(in[i]);
    int header_bits = std::min(8, std::max(0, length - 8 * i));
    uint8_t header_mask = static_cast<uint8_t>(0xff00u >> header_bits);
    byte = negative ? (byte | header_mask) : (byte & ~header_mask);
    v = (v << 8) | byte;
  }
  in.remove_prefix(length);
  *value = static_cast<int64_t>(v);
  return true;
}

bool read_string(std::string_view& in, std::string* value) {
  value->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '\0' && c != '\xff') {
      value->push_back(c);
      continue;
    }
    if (i + 1 >= in.size()) return false;
    char next = in[i + 1];
    if (c == '\0' && next == '\x01') {
      in.remove_prefix(i + 2);
      return true;
    }
    if (c == '\0' && next == '\xff') {
      value->push_back('\0');
    } else if (c == '\xff' && next == '\x00') {
      value->push_back('\xff');
    } else {
      return false;
    }
    ++i;
  }
  return false;
}

}  // namespace prnn::ordered_code
