// Event generation by sampling with beam search, exactly as Magenta's beam_search.py and
// EventSequenceRnnModel._generate_events (doc/magenta.md §10), with the entries of every
// output advanced together as one batch of network streams.
//
// For each output: the beam starts as beam_size copies of the primer (score 0). The first
// iteration runs (n − 1) mod steps_per_iteration + 1 steps, later ones steps_per_iteration.
// Each iteration first prunes to the beam_size best entries (a stable nlargest: ties go to
// the lower index; no prune before the first iteration), then branches (the list repeated
// branch_factor times: e0, e1, …, e0, e1, …), then steps every entry. A step samples the
// next event from softmax(logits / temperature) by inverse CDF (one class per head) and adds
// its log-probability to the entry's score (float32, as Magenta). The first step also adds the
// log-likelihood of primer events 1…n−1. The best entry (stable) is returned.
//
// Differences that do not change results: the primer is fed once per output and its state
// copied to the entries (Magenta feeds it to every entry); a continuation (fill loop) keeps
// the state of the previous pass instead of re-feeding the whole sequence from zero, which
// gives the same state. Random numbers come from one StreamRng per output, drawn in entry
// order.
//
// Not thread-safe (uses the network). Allocation happens per call and per iteration (entry
// copies), never per network step inside the batch.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nn/generation_network.h"
#include "generate/sampler.h"

namespace prnn {

// Network input of one step: it feeds `event` (the entry's last event: one class per
// output head), whose end lies `elapsed_steps` time steps after the start of the output's
// performance (the position the controls are read at). Implemented by the performance
// generator.
class StepInputEncoder {
 public:
  virtual ~StepInputEncoder() = default;
  // dense: shape().input.dense_size floats; onehot: one index per one-hot group.
  virtual void encode(int output, std::span<const int> event, int64_t elapsed_steps, float* dense,
                      int32_t* onehot) const = 0;
};

struct BeamSearchOptions {
  double temperature = 1.0;
  int beam_size = 1;
  int branch_factor = 1;
  int steps_per_iteration = 1;
};

// One output being generated, kept between calls (the fill loop's passes).
struct GeneratedSequence {
  // Events, primer first, each as one class per head (Y = network heads values per
  // event: 1 for the one-hot configs, 6 for the note encoding); never empty.
  std::vector<int> events;
  int64_t elapsed_steps = 0;  // time steps covered by `events` (sum of time shifts)
  double log_likelihood = 0;  // of events 1…n−1 once generated (what Magenta logs)
  StreamRng rng;
  // Network state after feeding all events but the last; empty until the primer is fed.
  std::vector<float> state;
};

// Extends each sequence by `num_new_events` events. `steps_of_class` has one value per
// logit (the heads' classes concatenated in head order): an event's time shift is the sum
// of its heads' values (one-hot: the TS classes' shifts, 0 elsewhere; note encoding:
// 77 · shift major + shift minor). Multi-head events are sampled and scored per head
// (sampler.h: p = product over heads). REQUIRES: every sequence non-empty, and
// network.max_streams() >= sequences.size() · beam_size · branch_factor.
void beam_search(GenerationNetwork& network, const StepInputEncoder& encoder,
                 std::span<const int> steps_of_class, std::span<GeneratedSequence> sequences,
                 int num_new_events, const BeamSearchOptions& options);

}  // namespace prnn
