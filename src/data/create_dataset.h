// performance_rnn_create_dataset as a library call: reads NoteSequences (a TFRecord
// file, or a folder of MIDI/MusicXML/ABC files converted on the fly), assigns each to
// the training or eval split at random (Magenta's RandomPartition; reproducible with a
// seed), runs the DatasetPipeline on both cores (OpenMP) in bounded batches and writes
// output_dir/{training,eval}_performances.tfrecord atomically, in input order.
//
// Unreadable or corrupt inputs are reported (file + byte offset), counted and skipped.
// InputError (and no output files) when --input is missing, an empty TFRecord or a folder
// without music files (see music_file_listing.h), when none of its inputs can be read or
// none gives an example, and when --output_dir cannot be written. Not reentrant with the
// same output_dir.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "data/dataset_pipeline.h"
#include "base/statistics.h"

namespace prnn {

struct CreateDatasetOptions {
  std::string config = "performance";
  std::string input;       // TFRecord of NoteSequences, a music file or a folder of them
  bool recursive = false;  // folder input: include sub-folders (Magenta's --recursive)
  std::string output_dir;
  double eval_ratio = 0.1;
  std::optional<uint64_t> seed;  // none: a random seed, reported
  DatasetOptions pipeline;
};

struct SplitReport {
  int64_t sequences = 0;
  int64_t examples = 0;
  int64_t events = 0;
  uint64_t bytes = 0;
};

struct CreateDatasetReport {
  uint64_t seed = 0;
  int64_t sequences_read = 0;
  int64_t inputs_skipped = 0;  // corrupt records, unconvertible files
  SplitReport training, eval;
  Statistics stats;
  double seconds = 0;
  // Human-readable summary: inputs, examples per split, discards by reason, bytes/event.
  std::string summary() const;
};

CreateDatasetReport create_dataset(const CreateDatasetOptions& options);

}  // namespace prnn
