// Chooses the data source of a training or eval run from the command's flags: a
// SequenceExample file of the dataset stage, or NoteSequences (a TFRecord or a folder
// of music files) with online augmentation for training and the eval pipeline for eval.
// Errors (missing/empty files, another config's examples) are InputError naming the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/example_stream.h"

namespace prnn {

struct DataOptions {
  std::string sequence_example_file;  // --sequence_example_file
  std::string note_sequence_file;     // --note_sequence_file (TFRecord or folder)
  std::string note_sequence_exclude;  // --note_sequence_exclude (regex on folder paths)
  bool recursive = false;             // --recursive: a folder's sub-folders too
  int max_events_per_example = 512;   // --max_events_per_example (augmented training windows)
  size_t shuffle_buffer_size = 500;   // --shuffle_buffer_size (example files; 1 = file order)
  // Data-parallel training: this rank reads records i % shard_count == shard_index of an
  // example file (NoteSequences: every rank draws its own stream; the seed differs).
  int shard_index = 0;
  int shard_count = 1;
};

std::unique_ptr<ExampleStream> open_training_stream(const DataOptions& options,
                                                    const PerformanceConfig& config, uint64_t seed);

// Every eval example in order; at most `limit` when limit > 0.
std::vector<EncodedExample> load_eval_examples(const DataOptions& options,
                                               const PerformanceConfig& config, int64_t limit);

}  // namespace prnn
