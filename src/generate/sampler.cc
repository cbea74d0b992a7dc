#include "generate/sampler.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace prnn {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

StreamRng::StreamRng(uint64_t seed) {
  for (uint64_t& s : s_) s = splitmix64(seed);
}

uint64_t StreamRng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

Sample sample_logits(std::span<const float> logits, double temperature, StreamRng& rng,
                     std::span<float> scratch) {
  PRNN_CHECK(temperature > 0 && !logits.empty() && scratch.size() >= logits.size());
  const float inverse = static_cast<float>(1.0 / temperature);
  const float top = *std::max_element(logits.begin(), logits.end()) * inverse;
  double total = 0;
  const size_t n = logits.size();
  for (size_t v = 0; v < n; ++v) {
    scratch[v] = std::exp(logits[v] * inverse - top);
    total += scratch[v];
  }
  // Inverse CDF: the first class whose cumulative probability exceeds u.
  const double target = rng.uniform() * total;
  double cumulative = 0;
  size_t chosen = n - 1;
  for (size_t v = 0; v < n; ++v) {
    cumulative += scratch[v];
    if (cumulative > target) {
      chosen = v;
      break;
    }
  }
  while (scratch[chosen] == 0.0f && chosen > 0) --chosen;  // never pick an impossible class
  return {static_cast<int>(chosen),
          static_cast<double>(logits[chosen] * inverse - top) - std::log(total)};
}

double log_softmax_at(std::span<const float> logits, double temperature, int index) {
  const double inverse = 1.0 / temperature;
  const double top = *std::max_element(logits.begin(), logits.end()) * inverse;
  double total = 0;
  for (float l : logits) total += std::exp(l * inverse - top);
  return logits[index] * inverse - top - std::log(total);
}

double sample_heads(std::span<const float> logits, std::span<const int> head_sizes,
                    double temperature, StreamRng& rng, std::span<float> scratch,
                    std::span<int> classes) {
  PRNN_CHECK(classes.size() == head_sizes.size());
  double log_prob = 0;
  size_t offset = 0;
  for (size_t h = 0; h < head_sizes.size(); ++h) {
    const Sample sample =
        sample_logits(logits.subspan(offset, head_sizes[h]), temperature, rng, scratch);
    classes[h] = sample.index;
    log_prob += sample.log_prob;
    offset += head_sizes[h];
  }
  return log_prob;
}

double log_softmax_heads(std::span<const float> logits, std::span<const int> head_sizes,
                         double temperature, std::span<const int> classes) {
  PRNN_CHECK(classes.size() == head_sizes.size());
  double total = 0;
  size_t offset = 0;
  for (size_t h = 0; h < head_sizes.size(); ++h) {
    total += log_softmax_at(logits.subspan(offset, head_sizes[h]), temperature, classes[h]);
    offset += head_sizes[h];
  }
  return total;
}

}  // namespace prnn
