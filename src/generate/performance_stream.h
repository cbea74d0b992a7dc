// A live Performance RNN: yields events one at a time (or in chunks) while its controls
// (note density, pitch-class histogram, conditioning on/off, temperature) may change
// between any two events — the engine of interactive front ends such as the studio.
//
// After construction or reset() the stream starts from the zero state with Magenta's
// empty-primer convention (one TS100 of silence) or with the given primer events; each
// next() feeds the previous event with the current controls, samples the next one from
// softmax(logits / temperature) and returns it. Controls the config does not use are
// ignored. Weights are copied at construction (bf16 where the CPU supports it); next()
// does not allocate (note encoding: only when its queues grow). One object per client;
// not thread-safe.
//
// A note-encoding model (six heads, one note per network step) streams the same kind of
// events: each sampled note (one class per head at the current temperature) is turned into
// time shifts, VELOCITY, NOTE_ON and, when time passes its end, NOTE_OFF events
// (NoteEventQueue); the network steps once per note. A primer is converted to notes
// (Performance → NoteSequence → NotePerformance; InputError for a gap or note longer than
// 10 s); with none, the encoding's default event (shift 0, pitch 60, bin 1, one step) is
// fed first and not returned, and time starts at 0.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "nn/generation_network.h"
#include "generate/note_event_queue.h"
#include "generate/sampler.h"
#include "performance/config.h"
#include "performance/control_signals.h"
#include "performance/encoder.h"
#include "performance/performance.h"

namespace prnn {

class PerformanceStream {
 public:
  // REQUIRES: params were built for `config`.
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
  // The note encoding's reset() after the common part; `primer` may be empty.
  void reset_notes(std::span<const PerformanceEvent> primer);
  PerformanceEvent next_from_notes();

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
  // Note encoding only.
  std::vector<int> heads_, sampled_;
  NoteEvent last_note_{};
  NoteEventQueue notes_;
};

}  // namespace prnn
