// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the TFRecord/LevelDB mask.
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run time),
// a table otherwise. Thread-safe, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace prnn {

// CRC of `n` bytes, continuing from `crc` (0 to start).
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t n);
inline uint32_t crc32c(const void* data, size_t n) { return crc32c_extend(0, data, n); }

// Rotate right by 15 and add 0xa282ead8, as TFRecord and LevelDB store checksums.
inline uint32_t mask_crc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

// The portable table version, kept as the slow twin the tests compare against.
uint32_t crc32c_extend_portable(uint32_t crc, const void* data, size_t n);

}  // namespace prnn
