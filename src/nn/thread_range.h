// Static work splits for OpenMP regions whose threads each call a per-ISA chunk kernel
// (nn/per_isa.h) on their own range, instead of `omp parallel for simd` loops, whose
// outlined bodies GCC compiles for the baseline ISA only.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace prnn {

// Floats in a 64-byte cache line (and in an AVX-512 register): the block for splitting
// float arrays, so that the threads' shares of an aligned array never share a line.
inline constexpr int64_t kFloatsPerLine = 16;

// A half-open range [begin, end) of items.
struct ItemRange {
  int64_t begin = 0, end = 0;
};

// This OpenMP thread's share of n items: contiguous, in thread order, each share a whole
// number of blocks of `block` items (the last may be shorter; a share may be empty).
inline ItemRange thread_range(int64_t n, int64_t block) {
  const int64_t threads = omp_get_num_threads(), id = omp_get_thread_num();
  const int64_t blocks = (n + block - 1) / block;
  return {std::min(n, blocks * id / threads * block),
          std::min(n, blocks * (id + 1) / threads * block)};
}

// Calls chunk(begin, end) on every thread's non-empty share of n items (thread_range), in
// parallel.
template <class Chunk>
void parallel_chunks(int64_t n, int64_t block, Chunk chunk) {
#pragma omp parallel
  {
    const ItemRange r = thread_range(n, block);
    if (r.begin < r.end) chunk(r.begin, r.end);
  }
}

}  // namespace prnn
