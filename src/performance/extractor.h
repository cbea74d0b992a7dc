// Performance extraction from one quantized NoteSequence, as Magenta's
// extract_performances / PerformanceExtractor (REFERENCE.md §8 step 7): instruments
// merged, a sequence with more than one program yields nothing, the event list is
// truncated to max_events and dropped if shorter than min_events.
//
// Statistics are recorded under the original's names prefixed by `stat_prefix`
// (e.g. "DAGPipeline_PerformanceExtractor_training_"). Thread-safe for distinct
// Statistics objects. A note that cannot be encoded (pitch outside 0–127, a span too
// long to encode) is counted as "performances_discarded_invalid_note", not thrown.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "data/statistics.h"
#include "performance/note_performance.h"
#include "performance/performance.h"
#include "proto/music.pb.h"

namespace prnn {

struct ExtractionOptions {
  int start_step = 0;
  std::optional<int> min_events;  // discard shorter
  std::optional<int> max_events;  // truncate longer
  std::optional<int> max_steps;   // set_length when longer
  int num_velocity_bins = 0;
  bool note_performance = false;
};

using AnyPerformance = std::variant<Performance, NotePerformance>;

std::optional<AnyPerformance> extract_performance(const magenta::NoteSequence& quantized,
                                                  const ExtractionOptions& options,
                                                  Statistics* stats,
                                                  const std::string& stat_prefix = "");

}  // namespace prnn
