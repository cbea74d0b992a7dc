// Sampling one event from logits, as Magenta does: softmax(logits / temperature), then the
// inverse CDF at a uniform random number; also the log-probability of the chosen class
// under that tempered softmax (beam scores).
//
// StreamRng: a per-stream xoshiro256** generator seeded through splitmix64, so a seed
// gives the same streams on every platform. Plain values; no allocation.
#pragma once

#include <cstdint>
#include <span>

namespace prnn {

class StreamRng {
 public:
  explicit StreamRng(uint64_t seed = 0);
  uint64_t next();
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t s_[4];
};

struct Sample {
  int index = 0;
  double log_prob = 0;  // log p(index) under softmax(logits / temperature)
};

// REQUIRES: temperature > 0, logits non-empty. `scratch` holds logits.size() floats.
Sample sample_logits(std::span<const float> logits, double temperature, StreamRng& rng,
                     std::span<float> scratch);

// log softmax(logits / temperature)[index].
double log_softmax_at(std::span<const float> logits, double temperature, int index);

}  // namespace prnn
