// The dataset pipeline of performance_rnn_create_dataset for one input NoteSequence
// (doc/magenta.md §8): sustain → stretch → split (30 s) → quantize (100 steps/s) →
// transpose → extract (32..512 events) → encode, with training-only augmentation
// (stretch ×{0.95,0.975,1,1.025,1.05}, transposition −3..+3). Output order per input is
// Magenta's: stretch, then segment, then transposition, then (optional conditioning)
// the enabled and the disabled copy.
//
// DatasetPipeline is immutable after construction; process() is thread-safe for
// distinct `stats`/`output` arguments and allocates per call, not per step. Outside
// input the original would crash on (negative or non-finite times, unencodable
// notes) is counted in `stats` and skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/statistics.h"
#include "data/eval_pipeline.h"
#include "performance/config.h"
#include "performance/encoder.h"
#include "performance/extractor.h"
#include "proto/music.pb.h"

namespace prnn {

enum class Split { kTraining, kEval };
const char* split_name(Split split);  // "training" / "eval"

struct DatasetOptions {
  int min_events = kEvalMinEvents;  // the eval pipeline's limits apply to both splits
  int max_events = kEvalMaxEvents;
  int steps_per_second = kStepsPerSecond;
  double split_hop_seconds = kEvalSplitSeconds;
  // Magenta's one-hot float layout instead of the compact one (doc/formats/sequence_examples.md).
  bool onehot_inputs = false;
};

// What one call to process() produced.
struct PipelineOutput {
  std::string records;  // TFRecord-framed serialized SequenceExamples, in order
  int64_t examples = 0;
  int64_t events = 0;  // input steps written (events − 1 per example)
};

class DatasetPipeline {
 public:
  DatasetPipeline(const PerformanceConfig& config, DatasetOptions options);

  // Runs the input through the pipeline of `split`, appending to *output and counting
  // under Magenta's statistic names ("DAGPipeline_<unit>_<split>_<stat>").
  void process(const magenta::NoteSequence& sequence, Split split, Statistics* stats,
               PipelineOutput* output) const;

  // Floats per step in the files written (compact or Magenta's layout).
  int file_input_width() const;

 private:
  // Encodes one extracted performance (both copies for optional conditioning).
  void write_examples(const AnyPerformance& performance, PipelineOutput* output) const;
  // Outcomes of the transposition and extraction stages of one input, counted per
  // segment and written to Statistics once.
  struct SegmentCounts {
    int64_t transpositions_generated = 0;
    int64_t skipped_due_to_range_exceeded = 0;
    ExtractionStats extraction;
  };
  // Transposes and extracts one quantized segment.
  void transpose_and_extract(const magenta::NoteSequence& quantized,
                             const std::vector<int>& amounts, SegmentCounts* counts,
                             PipelineOutput* output) const;

  const PerformanceConfig& config_;
  DatasetOptions options_;
  PerformanceEncoder encoder_;
  int num_heads_;
};

}  // namespace prnn
