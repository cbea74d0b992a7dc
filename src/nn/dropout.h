// Dropout masks computed from a counter-based hash instead of stored: the mask of element
// (layer, position, unit) is a pure function of the seed, so forward and backward agree
// without keeping it and runs are reproducible. Inline for simd loops.
#pragma once

#include <cstdint>

namespace prnn {

struct DropoutMask {
  float keep_prob = 1.0f;  // 1 = no dropout
  uint32_t seed = 0;       // already mixed with the layer index (dropout_layer_seed)
  uint32_t threshold = 0;  // keep when hash >> 8 < threshold (keep_prob · 2^24)

  bool active() const { return keep_prob < 1.0f; }
  // 1/keep_prob for kept elements, 0 for dropped ones; `index` = position·H + unit.
  float scale(uint32_t index) const {
    uint32_t h = index * 0x9e3779b9u + seed;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return (h >> 8) < threshold ? 1.0f / keep_prob : 0.0f;
  }
};

inline DropoutMask make_dropout_mask(float keep_prob, uint64_t seed, int layer) {
  uint64_t x = seed + 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(layer + 1);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  x ^= x >> 31;
  DropoutMask mask;
  mask.keep_prob = keep_prob;
  mask.seed = static_cast<uint32_t>(x);
  mask.threshold = static_cast<uint32_t>(static_cast<double>(keep_prob) * (1 << 24));
  return mask;
}

}  // namespace prnn
