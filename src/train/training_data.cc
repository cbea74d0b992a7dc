#include "train/training_data.h"

#include "base/error.h"
#include "data/augmented_example_stream.h"
#include "data/sequence_example_stream.h"

namespace prnn {
namespace {

void require_one_source(const DataOptions& options) {
  if (options.sequence_example_file.empty() == options.note_sequence_file.empty()) {
    throw UsageError(
        "give exactly one of --sequence_example_file (examples of "
        "performance_rnn_create_dataset) and --note_sequence_file (NoteSequence TFRecord, "
        "music file or folder)");
  }
}

}  // namespace

std::unique_ptr<ExampleStream> open_training_stream(const DataOptions& options,
                                                    const PerformanceConfig& config,
                                                    uint64_t seed) {
  require_one_source(options);
  if (!options.sequence_example_file.empty()) {
    return std::make_unique<SequenceExampleStream>(
        options.sequence_example_file, config, seed, options.shuffle_buffer_size,
        RecordShard{options.shard_index, options.shard_count});
  }
  AugmentationOptions augmentation;
  augmentation.max_events = options.max_events_per_example;
  return std::make_unique<AugmentedExampleStream>(
      load_sustained_sequences(options.note_sequence_file, options.note_sequence_exclude,
                               options.recursive),
      config, seed, augmentation);
}

std::vector<EncodedExample> load_eval_examples(const DataOptions& options,
                                               const PerformanceConfig& config, int64_t limit) {
  require_one_source(options);
  std::vector<EncodedExample> examples;
  auto full = [&] { return limit > 0 && static_cast<int64_t>(examples.size()) >= limit; };
  if (!options.sequence_example_file.empty()) {
    for_each_sequence_example(options.sequence_example_file, config, [&](EncodedExample& e) {
      if (!full()) examples.push_back(std::move(e));
    });
  } else {
    auto sequences = load_sustained_sequences(options.note_sequence_file,
                                              options.note_sequence_exclude, options.recursive);
    for (const magenta::NoteSequence& sequence : *sequences) {
      if (full()) break;
      make_eval_examples(sequence, config, examples);
    }
    if (full()) examples.resize(limit);
  }
  if (examples.empty()) {
    throw InputError((options.sequence_example_file.empty() ? options.note_sequence_file
                                                            : options.sequence_example_file) +
                     ": no eval examples");
  }
  return examples;
}

}  // namespace prnn
