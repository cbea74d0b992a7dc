// Magenta's eval pipeline, its settings in one place: what every eval path of the project
// (create_dataset's eval split, the trainer's eval examples, `performance_rnn evaluate`)
// does to a NoteSequence: sustain → split into kEvalSplitSeconds segments → absolute
// quantization at 100 steps/s → transposition 0 (with its pitch-range check) → extraction
// of at most kEvalMaxEvents events, segments under kEvalMinEvents dropped; no augmentation.
// Plain constants and a pure function.
#pragma once

#include <vector>

#include "performance/config.h"
#include "performance/extractor.h"
#include "proto/music.pb.h"

namespace prnn {

inline constexpr double kEvalSplitSeconds = 30.0;
inline constexpr int kEvalMinEvents = 32;
inline constexpr int kEvalMaxEvents = 512;

// The eval pipeline's performances of `sequence` (not yet sustained), of the config's
// kind: NotePerformances for the note encoding.
std::vector<AnyPerformance> eval_performances(const magenta::NoteSequence& sequence,
                                              const PerformanceConfig& config);

// The same for a sequence whose sustain is already applied (the trainer loads sequences
// sustained once).
std::vector<AnyPerformance> eval_performances_of_sustained(const magenta::NoteSequence& sustained,
                                                           const PerformanceConfig& config);

}  // namespace prnn
