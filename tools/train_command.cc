// `performance_rnn train` (also `performance_rnn_train`): Magenta's training and eval
// job. Flags follow magenta/models/performance_rnn/performance_rnn_train.py; the
// library does the work (src/train/trainer.h).
#include <atomic>
#include <csignal>
#include <memory>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "data/eval_pipeline.h"
#include "nn/isa.h"
#include "train/trainer.h"

namespace prnn {
namespace {

// SIGINT/SIGTERM: the trainer ends after its current step with a final checkpoint.
std::atomic<bool> g_stop_requested{false};
extern "C" void request_stop(int) { g_stop_requested = true; }

// The handlers are installed while the run lasts and the defaults restored after it.
class StopOnSignal {
 public:
  StopOnSignal() {
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
  }
  ~StopOnSignal() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
};

// Runs the job of --eval or the training; the process exit status.
int run_job(const TrainOptions& options, Communicator& comm, bool eval) {
  if (eval) {
    run_eval(options);
    return 0;
  }
  StopOnSignal stop_on_signal;
  run_training(options, comm);
  return 0;
}

int train_body(int argc, char** argv) {
  TrainOptions options;
  options.config = "performance";
  std::string hparams, precision = "auto", log = "INFO", warm_start_bundle_file;
  bool eval = false, overlap_allreduce = true;
  int64_t seed = 0, shuffle_buffer_size = 500;
  FlagSet flags("performance_rnn_train",
                "Trains a Performance RNN (or, with --eval, evaluates its checkpoints).");
  flags.add("config", &options.config, "the Performance RNN config");
  flags.add("run_dir", &options.run_dir,
            "run directory: checkpoints and summaries go to RUN_DIR/train, eval summaries "
            "to RUN_DIR/eval");
  flags.add("sequence_example_file", &options.data.sequence_example_file,
            "TFRecord of SequenceExamples from performance_rnn_create_dataset (compact or "
            "one-hot layout)");
  flags.add("note_sequence_file", &options.data.note_sequence_file,
            "instead of --sequence_example_file: a TFRecord of NoteSequences, or a "
            "MIDI/MusicXML/ABC file or folder of them, augmented on the fly (stretch, "
            "transposition, windows)");
  flags.add("note_sequence_exclude", &options.data.note_sequence_exclude,
            "with a --note_sequence_file folder: skip files whose relative path matches this "
            "regular expression");
  flags.add("recursive", &options.data.recursive,
            "with a --note_sequence_file folder: also read the files of its sub-folders");
  flags.add("max_events_per_example", &options.data.max_events_per_example,
            "with --note_sequence_file: the longest training window, in events");
  flags.add("shuffle_buffer_size", &shuffle_buffer_size,
            "with --sequence_example_file: examples in the shuffle buffer (1 = file order)");
  flags.add("overlap_allreduce", &overlap_allreduce,
            "under mpirun: sum each layer's gradients while the backward pass of the layers "
            "below runs (--nooverlap_allreduce: one allreduce after the backward pass)");
  flags.add("hparams", &hparams,
            "comma-separated name=value overrides, e.g. "
            "'batch_size=64,rnn_layer_sizes=[512,512,512]'");
  flags.add("num_training_steps", &options.num_training_steps,
            "train until this global step (0 = until interrupted); the eval job stops after "
            "evaluating a checkpoint at this step");
  flags.add("eval", &eval, "run the eval job instead of training");
  flags.add("warm_start_bundle_file", &warm_start_bundle_file,
            "start a new run from the weights of this bundle (.mag, ours or Magenta's) or "
            "checkpoint");
  flags.add("num_eval_examples", &options.num_eval_examples,
            "eval job: evaluate only the first N examples (0 = all)");
  flags.add("summary_frequency", &options.summary_frequency,
            "log and write summaries every N steps");
  flags.add("num_checkpoints", &options.num_checkpoints, "keep the newest N checkpoints");
  flags.add("save_checkpoint_secs", &options.save_checkpoint_secs, "seconds between checkpoints");
  flags.add("eval_interval_secs", &options.eval_interval_secs,
            "eval job: seconds between looks for a new checkpoint");
  flags.add("eval_timeout_secs", &options.eval_timeout_secs,
            "eval job: stop after this many seconds without a new checkpoint");
  flags.add(
      "early_stopping_patience", &options.early_stopping_patience,
      "eval job: stop the run after N evaluations in a row without a new best eval "
      "NLL (0 = never); the best checkpoint is always kept as RUN_DIR/train/best.safetensors");
  flags.add("precision", &precision, "matrix products: auto, fp32 or bf16");
  std::string isa = "auto";
  flags.add("isa", &isa, isa_flag_help());
  flags.add("seed", &seed, "seed of the initial weights and the data order of a new run");
  flags.add("log", &log, "DEBUG, INFO, WARN, ERROR or FATAL");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  set_log_level(log);
  if (options.run_dir.empty()) throw UsageError("--run_dir is required");
  if (options.summary_frequency < 1) throw UsageError("--summary_frequency must be >= 1");
  if (options.data.max_events_per_example < kEvalMinEvents) {
    throw UsageError("--max_events_per_example must be >= " + std::to_string(kEvalMinEvents) +
                     " (the shortest window kept)");
  }
  if (options.early_stopping_patience < 0) {
    throw UsageError("--early_stopping_patience must be >= 0");
  }
  if (options.num_checkpoints < 1) throw UsageError("--num_checkpoints must be >= 1");
  if (options.num_training_steps < 0) throw UsageError("--num_training_steps must be >= 0");
  if (!(options.save_checkpoint_secs >= 0)) throw UsageError("--save_checkpoint_secs must be >= 0");
  if (shuffle_buffer_size < 1) throw UsageError("--shuffle_buffer_size must be >= 1");
  options.data.shuffle_buffer_size = static_cast<size_t>(shuffle_buffer_size);
  options.hparams = default_hparams();
  apply_hparams(hparams, options.hparams);
  options.precision = parse_precision(precision);
  options.seed = static_cast<uint64_t>(seed);
  options.warm_start_file = warm_start_bundle_file;
  options.stop_requested = &g_stop_requested;
  std::unique_ptr<Communicator> comm = make_communicator(overlap_allreduce);
  if (comm->size() == 1) return run_job(options, *comm, eval);
  // Several ranks: each reports an error before MPI_Finalize (comm's destructor, where the
  // ranks meet), so mpirun, which stops the job at the first exit, cuts no report short.
  try {
    if (eval) throw UsageError("--eval runs in one process; start it without mpirun");
    return run_job(options, *comm, false);
  } catch (const InputError& e) {
    return report_error("train", e);
  }
}

int train_main(int argc, char** argv) { return run_guarded("train", train_body, argc, argv); }

}  // namespace

PRNN_COMMAND("train", "train a Performance RNN (Magenta's performance_rnn_train)", train_main);

}  // namespace prnn
