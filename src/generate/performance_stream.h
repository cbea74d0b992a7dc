// A live Performance RNN: yields events one at a time (or in chunks) while its controls
// (note density, pitch-class histogram, conditioning on/off, temperature) may change
// between any two events — the engine of interactive front ends such as the studio.
//
// After construction or reset() the stream starts from the zero state with Magenta's
// empty-primer convention (one TS100 of silence) or with the given primer events; each
// next() feeds the previous event with the current controls, samples the next one from
// softmax(logits / temperature) and returns it. Controls the config does not use are
// ignored. Weights are copied at construction (bf16 where the CPU supports it); next()
// does not allocate. One object per client; not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "generate/generation_network.h"
#include "generate/sampler.h"
#include "performance/config.h"
#include "performance/control_signals.h"
#include "performance/encoder.h"
#include "performance/performance.h"

namespace prnn {

class PerformanceStream {
 public:
  // REQUIRES: params were built for `config`, a one-hot family config.
  PerformanceStream(const PerformanceConfig& config, const ParamArena& params, uint64_t seed);

  // Back to the zero state. An empty primer means one TS100 of silence.
  void reset(uint64_t seed, std::span<const PerformanceEvent> primer = {});

  void set_temperature(double temperature);  // REQUIRES: > 0
  void set_note_density(double notes_per_second);
  void set_pitch_histogram(const PitchHistogram& histogram);
  void set_conditioning(bool enabled);
  const ControlValues& controls() const { return controls_; }
  double temperature() const { return temperature_; }

  PerformanceEvent next();
  // Appends `count` events to `out`.
  void next(int count, std::vector<PerformanceEvent>& out);

  // Time steps (10 ms) covered by the events returned since the last reset, primer included.
  int64_t elapsed_steps() const { return elapsed_steps_; }

 private:
  void feed(const PerformanceEvent& event);

  const PerformanceConfig& config_;
  PerformanceEncoder encoder_;
  GenerationNetwork network_;
  StreamRng rng_;
  ControlValues controls_;
  double temperature_ = 1.0;
  PerformanceEvent last_{EventType::kTimeShift, kDefaultMaxShiftSteps};
  int64_t elapsed_steps_ = 0;
  std::vector<float> dense_, scratch_;
  std::vector<int32_t> onehot_;
  std::span<const float> logits_;
};

}  // namespace prnn
