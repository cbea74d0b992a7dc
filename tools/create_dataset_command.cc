// `performance_rnn create_dataset` (also `performance_rnn_create_dataset`): NoteSequences
// to training and eval SequenceExamples for one Performance RNN configuration.
#include <cstdio>

#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "data/create_dataset.h"

namespace {

int create_dataset_body(int argc, char** argv) {
  prnn::CreateDatasetOptions options;
  int64_t seed = 0;
  std::string log_level = "INFO";
  prnn::FlagSet flags(
      "performance_rnn_create_dataset",
      "Turns NoteSequences into training examples (SequenceExamples) for a Performance RNN "
      "configuration, with Magenta's augmentation (training: stretch x5, transposition -3..3) "
      "and 30 s splits. Writes OUTPUT_DIR/training_performances.tfrecord and "
      "OUTPUT_DIR/eval_performances.tfrecord. Inputs go in a compact layout (class index + "
      "control values, see doc/formats/sequence_examples.md) unless --onehot_inputs.");
  flags.add("config", &options.config,
            "Which configuration to use (performance_rnn configs lists them).");
  flags.add("input", &options.input,
            "TFRecord file of NoteSequences, or a folder of MIDI/MusicXML/ABC files converted "
            "on the fly.");
  flags.add("recursive", &options.recursive,
            "With a folder --input, also read the files in its sub-folders.");
  flags.add("output_dir", &options.output_dir, "Directory to write the two TFRecord files to.");
  flags.add("eval_ratio", &options.eval_ratio,
            "Fraction of input sequences set aside for the eval split.");
  flags.add("seed", &seed, "Seed of the train/eval partition (default: random, reported).");
  flags.add("onehot_inputs", &options.pipeline.onehot_inputs,
            "Write Magenta's input layout (one-hot floats, ~1.5 KB per event) instead of the "
            "compact one.");
  flags.add("log", &log_level, "Logging level: DEBUG, INFO, WARN, ERROR or FATAL.");
  if (!flags.parse(argc, argv)) return 0;
  prnn::set_log_level(log_level);
  if (flags.was_set("seed")) options.seed = static_cast<uint64_t>(seed);

  const prnn::CreateDatasetReport report = prnn::create_dataset(options);
  std::printf("%s", report.stats.report().c_str());
  std::printf("%s", report.summary().c_str());
  return 0;
}

int create_dataset_main(int argc, char** argv) {
  return prnn::run_guarded("create_dataset", create_dataset_body, argc, argv);
}

}  // namespace

PRNN_COMMAND("create_dataset",
             "NoteSequences to training examples (performance_rnn_create_dataset)",
             create_dataset_main);
