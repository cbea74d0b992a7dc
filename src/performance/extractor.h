// Performance extraction from one quantized NoteSequence, as Magenta's
// extract_performances / PerformanceExtractor (doc/magenta.md §8 step 7): instruments
// merged, a sequence with more than one program yields nothing, the event list is
// truncated to max_events and dropped if shorter than min_events.
//
// Outcomes are counted in ExtractionStats (plain counters, cheap enough to update per
// segment) and written under the original's statistic names with record(). Thread-safe
// for distinct stats objects. A note that cannot be encoded (pitch outside 0–127, a
// span too long to encode) is counted as discarded_invalid_note, not thrown.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "base/statistics.h"
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

struct ExtractionStats {
  int64_t discarded_too_short = 0;
  int64_t truncated = 0;
  int64_t truncated_timewise = 0;
  int64_t discarded_more_than_1_program = 0;
  int64_t discarded_too_many_time_shift_steps = 0;
  int64_t discarded_too_many_duration_steps = 0;
  int64_t discarded_invalid_note = 0;  // ours: the original raises instead
  // performance_lengths_in_seconds, buckets [-inf,5) [5,10) [10,20) [20,30) [30,40)
  // [40,60) [60,120) [120,inf).
  std::array<int64_t, 8> lengths_in_seconds{};

  // Adds `other` `times` times.
  void add(const ExtractionStats& other, int64_t times = 1);
  // Writes the counters and the histogram as "<prefix><Magenta's name>".
  void record(const std::string& prefix, Statistics* stats) const;
};

std::optional<AnyPerformance> extract_performance(const magenta::NoteSequence& quantized,
                                                  const ExtractionOptions& options,
                                                  ExtractionStats* stats);

// The same, recording the outcome directly into `stats` under `stat_prefix`.
std::optional<AnyPerformance> extract_performance(const magenta::NoteSequence& quantized,
                                                  const ExtractionOptions& options,
                                                  Statistics* stats,
                                                  const std::string& stat_prefix = "");

}  // namespace prnn
