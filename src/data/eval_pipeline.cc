#include "data/eval_pipeline.h"

#include "base/statistics.h"
#include "music/sequences.h"

namespace prnn {

std::vector<AnyPerformance> eval_performances(const magenta::NoteSequence& sequence,
                                              const PerformanceConfig& config) {
  return eval_performances_of_sustained(apply_sustain_control_changes(sequence), config);
}

std::vector<AnyPerformance> eval_performances_of_sustained(const magenta::NoteSequence& sustained,
                                                           const PerformanceConfig& config) {
  std::vector<AnyPerformance> out;
  Statistics statistics;
  ExtractionOptions extraction;
  extraction.num_velocity_bins = config.num_velocity_bins;
  extraction.note_performance = config.note_performance();
  extraction.min_events = kEvalMinEvents;
  extraction.max_events = kEvalMaxEvents;
  for (const auto& segment : split_note_sequence(sustained, kEvalSplitSeconds)) {
    std::optional<magenta::NoteSequence> kept =
        transpose_within_range(quantize_note_sequence_absolute(segment, kStepsPerSecond), 0);
    if (!kept) continue;
    std::optional<AnyPerformance> p = extract_performance(*kept, extraction, &statistics);
    if (p) out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace prnn
