// The training loop of `performance_rnn_train` (Magenta's events_rnn_train.run_training)
// and its eval job (run_eval).
//
// Training: resumes from the newest RUN_DIR/train checkpoint when there is one (weights,
// Adam state, step, data seed and position), else starts from Glorot-uniform weights;
// every step draws a padded batch from a background producer, runs forward and backward,
// clips each gradient tensor to clip_norm, applies Adam; logs and writes TensorBoard
// scalars every summary_frequency steps; saves a checkpoint every save_checkpoint_secs
// and at the end (atomically), keeping the newest num_checkpoints. Setting
// *stop_requested (the command's SIGINT/SIGTERM handler does) ends the run after the
// current step with a final checkpoint; the library installs no signal handler.
//
// Data-parallel (train/data_parallel.h): with a Communicator of N ranks, batch_size stays
// the global batch (each rank draws batch_size / N examples of its own shard), rank 0's
// state is broadcast at the start, gradients are summed over the ranks every step, and
// rank 0 alone writes checkpoints, summaries and progress lines.
// The eval job keeps the best checkpoint by eval NLL and may stop the run early
// (train/best_checkpoint.h); the trainer stops (with a final checkpoint) when it finds the
// eval job's early-stop file, and does not start while it is there. The learning rate
// follows the hparams' schedule (train/learning_rate.h).
//
// Failure: outside problems (data, a checkpoint of another config, a corrupt checkpoint)
// throw InputError before anything is written; a NaN/Inf loss stops the run with an
// InputError naming the step and the last good checkpoint, which is left untouched.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "nn/precision.h"
#include "train/communicator.h"
#include "model/hparams.h"
#include "train/training_data.h"

namespace prnn {

struct TrainOptions {
  std::string config;
  std::string run_dir;
  DataOptions data;
  HParams hparams;
  int64_t num_training_steps = 0;  // 0 = until interrupted
  int summary_frequency = 10;
  int num_checkpoints = 10;
  double save_checkpoint_secs = 60;
  Precision precision = Precision::kAuto;
  uint64_t seed = 0;  // weights and data of a fresh run
  // A new run starts from these weights (our checkpoint, or a bundle: ours or Magenta's).
  std::string warm_start_file;
  // Eval job.
  int64_t num_eval_examples = 0;  // 0 = the whole eval file
  double eval_interval_secs = 60;
  double eval_timeout_secs = 300;
  // Data-parallel: compare the ranks' parameter checksums every N steps (and at the end).
  int replica_check_steps = 200;
  // Eval job: stop training after this many evaluations in a row without a new best eval
  // NLL (0 = never); train/best_checkpoint.h.
  int early_stopping_patience = 0;
  // Polled once a step (single process): true ends the run after that step with a final
  // checkpoint. Not owned; may be null.
  const std::atomic<bool>* stop_requested = nullptr;
};

// `comm`: a SingleProcessCommunicator for one process (make_communicator chooses).
// Returns when the run is done (or stopped); InputError for bad input.
void run_training(const TrainOptions& options, Communicator& comm);
// The eval job: returns when early stopping ends it or no new checkpoint came in time.
void run_eval(const TrainOptions& options);

}  // namespace prnn
