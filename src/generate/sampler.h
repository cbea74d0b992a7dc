// Sampling one event from logits, as Magenta does: softmax(logits / temperature), then the
// inverse CDF at a uniform random number; also the log-probability of the chosen class
// under that tempered softmax (beam scores).
//
// Multi-head events (the note encoding: six softmax heads over one logits vector, in head
// order) are sampled as Magenta's encoder does: one class per head, heads in order, each
// from its own tempered softmax with its own uniform number; the event's log-probability
// is the sum over heads (p = product). A single head gives exactly sample_logits.
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

// logits: Σ head_sizes values, heads concatenated. Writes one class per head to
// `classes` (head_sizes.size() values) and returns Σ log p. `scratch` holds the largest
// head's size.
double sample_heads(std::span<const float> logits, std::span<const int> head_sizes,
                    double temperature, StreamRng& rng, std::span<float> scratch,
                    std::span<int> classes);

// Σ over heads of log softmax(head logits / temperature)[classes[h]].
double log_softmax_heads(std::span<const float> logits, std::span<const int> head_sizes,
                         double temperature, std::span<const int> classes);

}  // namespace prnn
