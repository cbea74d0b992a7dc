// Scoring performances with a trained model: the negative log-likelihood (nats) the network
// assigns to real music, as `performance_rnn evaluate` reports it, and Magenta's
// performance_log_likelihood of one performance.
//
// eval_performances (data/eval_pipeline.h) gives the performances to score.
// score_performances feeds each performance with teacher forcing (inputs as in training:
// event t with the controls extracted at t+1) and sums −log p(event t+1), temperature 1.
// For the note encoding (NotePerformances) an event's log p is the sum over its six heads
// and the seconds are the shifts of the predicted notes plus the last one's duration.
// Segments are scored together as one batch of network streams. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "data/eval_pipeline.h"
#include "nn/generation_network.h"
#include "performance/config.h"
#include "performance/control_signals.h"
#include "performance/extractor.h"
#include "performance/performance.h"
#include "proto/music.pb.h"

namespace prnn {

struct PerformanceScore {
  double nll = 0;      // nats, summed over predicted events
  int64_t events = 0;  // predicted events (each performance's length − 1)
  double seconds = 0;  // time covered by the predicted events
  int performances = 0;
};

// REQUIRES: network built for `config`, performances of the config's kind.
// `disable_conditioning`: optional-conditioning configs see the disable flag set (and no
// control values), as the unconditioned half of their training examples; else ignored.
PerformanceScore score_performances(GenerationNetwork& network, const PerformanceConfig& config,
                                    const std::vector<AnyPerformance>& performances,
                                    bool disable_conditioning = false);

// Magenta's performance_log_likelihood: constant `controls` (ignored by unconditioned
// configs), inputs = events[:-1], temperature 1: Σ log p(event k), k = 1 … N−1.
// REQUIRES: a performance of the config's kind.
double performance_log_likelihood(GenerationNetwork& network, const PerformanceConfig& config,
                                  const AnyPerformance& performance, const ControlValues& controls);

// performance_log_likelihood of a whole NoteSequence (as `evaluate --log_likelihood` reports
// it): quantized at 100 steps/s, extracted as one performance of the config's kind with the
// extractor's default limits, default controls. 0 when no performance is extracted.
double sequence_log_likelihood(GenerationNetwork& network, const PerformanceConfig& config,
                               const magenta::NoteSequence& sequence);

}  // namespace prnn
