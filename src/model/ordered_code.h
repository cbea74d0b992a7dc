// Decoding of TensorFlow's "ordered code", the order-preserving encoding used for the keys
// of V1 checkpoint tables: key = unsigned 0, the tensor name as an escaped string, the rank
// as an unsigned number, then (start, length) per dimension as signed numbers.
//
// Each read_* consumes its item from the front of `in` and returns false (leaving `in` in
// an unspecified position) when the bytes are not a valid encoding. No allocation beyond
// the decoded string. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace prnn::ordered_code {

// An unsigned number: one length byte n (0..8), then n big-endian bytes.
bool read_unsigned(std::string_view& in, uint64_t* value);
// A signed number: a self-delimiting 1..10-byte encoding (0 → 80, −1 → 7f, 300 → c1 2c).
bool read_signed(std::string_view& in, int64_t* value);
// A string: 00 escaped as 00 ff, ff escaped as ff 00, terminated by 00 01.
bool read_string(std::string_view& in, std::string* value);

}  // namespace prnn::ordered_code
