// Magenta's PerformanceRnnSequenceGenerator._generate (doc/magenta.md §10) on our engine:
// extends a primer NoteSequence over a generate section [start, end) seconds.
//
//   gen_start = q(start, cutoff 0), gen_end = q(end, cutoff 1); the primer's performance
//   (or an empty one at gen_start) is padded to gen_start; total = its steps + gen_end −
//   gen_start; an empty performance gets one TS (≤ 1 s) of silence; then, while shorter
//   than total, ask for ceil(4 · max(1, mean density) · remaining / 100) more events
//   (beam search); finally set_length(total) and decode (max note duration, velocity 100
//   for 0-bin configs, instrument 0, the primer's program).
//
// All outputs are generated together as one batch of network streams; output i draws its
// random numbers from StreamRng(seed + i). Control values follow the step position as
// Magenta's _step_to_value: values[min(step · n div total, n − 1)].
//
// The note encoding (performance_with_dynamics_and_note_encoding) runs the same loop on
// Magenta's NotePerformance: the primer becomes note tuples (not padded: set_length is a
// no-op there) and a sequence's length is Σ shifts + the last note's duration; each event
// samples its six heads. An empty primer starts from the encoding's default event (shift
// 0, pitch 60, bin 1, 1 step) at gen_start, left out of the output (Magenta cannot start
// from nothing). The result is trimmed to the section (notes starting after it dropped,
// the others shortened to end by it; Magenta asserts it instead) and decoded with the
// notes' own durations (max_note_duration does not apply, as in Magenta).
//
// Throws InputError for a primer note ending after the section start, or a section that
// ends before it starts. Not thread-safe (uses the network).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate/beam_search.h"
#include "nn/generation_network.h"
#include "performance/config.h"
#include "performance/control_signals.h"
#include "proto/music.pb.h"

namespace prnn {

// Control values over the performance; each list is split evenly over its duration.
// An empty list means the default (15 notes/s; a flat histogram; conditioning on).
struct ControlSchedule {
  std::vector<double> notes_per_second;
  std::vector<PitchHistogram> pitch_class_histograms;
  std::vector<bool> disable_conditioning;
};

struct GenerateOptions {
  double start_time = 0;  // generate section, seconds
  double end_time = 30;
  BeamSearchOptions search;
  ControlSchedule controls;
  double max_note_duration = 5.0;  // seconds; 0 = unlimited
  bool fill_generate_section = true;
  int num_outputs = 1;
  uint64_t seed = 0;
};

struct GeneratedPerformance {
  magenta::NoteSequence sequence;
  double log_likelihood = 0;  // of the events after the first, as Magenta logs it
  int num_events = 0;
  std::vector<int> passes;  // events asked for in each pass of the fill loop
};

// REQUIRES: the network was built for `config` with max_streams() >= num_outputs ·
// beam_size · branch_factor.
std::vector<GeneratedPerformance> generate_performances(GenerationNetwork& network,
                                                        const PerformanceConfig& config,
                                                        const magenta::NoteSequence& primer,
                                                        const GenerateOptions& options);

// The control values at `step` of a performance `total_steps` long.
ControlValues controls_at(const ControlSchedule& schedule, int64_t step, int64_t total_steps);

}  // namespace prnn
