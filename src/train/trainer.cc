#include "train/trainer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "base/error.h"
#include "base/log.h"
#include "data/batch_builder.h"
#include "data/batch_producer.h"
#include "nn/optimizer.h"
#include "nn/softmax_xent.h"
#include "nn/training_step.h"
#include "train/best_checkpoint.h"
#include "model/checkpoint.h"
#include "train/data_parallel.h"
#include "train/learning_rate.h"
#include "model/run_dir.h"
#include "train/summary_writer.h"
#include "train/warm_start.h"

namespace prnn {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

uint64_t mix_seed(uint64_t seed, uint64_t position) {
  // splitmix64 of the pair: a resumed run continues with a fresh, reproducible stream.
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (position + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

NetworkShape network_shape(const PerformanceConfig& config, const HParams& hparams) {
  NetworkShape shape{config.input_layout(), hparams.rnn_layer_sizes, config.output_heads()};
  validate_network_shape(shape);
  return shape;
}

TrainingOptions training_options(const PerformanceConfig& config, const TrainOptions& options) {
  TrainingOptions result;
  result.precision = options.precision;
  result.dropout_keep_prob = static_cast<float>(options.hparams.dropout_keep_prob);
  if (!config.note_performance()) result.no_event_labels = {config.no_event_class()};
  return result;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long total = static_cast<long>(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%ldh%02ldm%02lds", total / 3600, total / 60 % 60, total % 60);
  return text;
}

std::vector<std::pair<std::string, float>> summary_scalars(const BatchStats& stats,
                                                           double label_steps) {
  double loss_per_step = stats.loss_per_step(label_steps);
  return {{"loss", static_cast<float>(stats.loss())},
          {"metrics/perplexity", static_cast<float>(stats.perplexity())},
          {"metrics/accuracy", static_cast<float>(stats.accuracy())},
          {"metrics/event_accuracy", static_cast<float>(stats.event_accuracy())},
          {"metrics/no_event_accuracy", static_cast<float>(stats.no_event_accuracy())},
          {"metrics/loss_per_step", static_cast<float>(loss_per_step)},
          {"metrics/perplexity_per_step", static_cast<float>(std::exp(loss_per_step))}};
}

// The run state a checkpoint restores.
struct RunState {
  int64_t global_step = 0;
  uint64_t data_seed = 0;
  uint64_t data_position = 0;
  std::string last_checkpoint;  // path, empty if none yet
};

class Trainer {
 public:
  Trainer(const TrainOptions& options, const PerformanceConfig& config, Communicator& comm)
      : options_(options),
        comm_(comm),
        config_(config),
        train_dir_(options.run_dir + "/train"),
        params_(network_shape(config, options.hparams)),
        adam_(params_,
              AdamOptions{.learning_rate = static_cast<float>(options.hparams.learning_rate)}),
        grads_(params_.shape()) {}

  void run();

 private:
  void restore_or_initialise();
  void restore_or_initialise_here();
  void save_checkpoint();
  void check_finite(const BatchStats& stats, double gradient_norm);

  const TrainOptions& options_;
  Communicator& comm_;
  const PerformanceConfig& config_;
  std::string train_dir_;
  ParamArena params_;
  AdamOptimizer adam_;
  ParamArena grads_;
  RunState state_;
};

// Rank 0 restores or initialises; the others receive its state.
void Trainer::restore_or_initialise() {
  collectively(comm_, [&] {
    if (comm_.rank() == 0) restore_or_initialise_here();
  });
  int64_t counters[] = {state_.global_step, static_cast<int64_t>(state_.data_seed),
                        static_cast<int64_t>(state_.data_position)};
  broadcast_from_rank0(comm_, params_, adam_, counters);
  state_.global_step = counters[0];
  state_.data_seed = static_cast<uint64_t>(counters[1]);
  state_.data_position = static_cast<uint64_t>(counters[2]);
  state_.last_checkpoint = comm_.broadcast_string(state_.last_checkpoint, 0);
}

void Trainer::restore_or_initialise_here() {
  remove_stale_temporaries(train_dir_);
  std::optional<CheckpointFile> latest = latest_checkpoint(train_dir_);
  if (!latest) {
    glorot_uniform_init(params_, options_.seed);
    state_.data_seed = mix_seed(options_.seed, 0xda7a);
    if (!options_.warm_start_file.empty()) {
      warm_start(options_.warm_start_file, options_.config, params_);
      log_info("weights from " + options_.warm_start_file);
    }
    log_info("starting a new run in " + options_.run_dir);
    return;
  }
  Checkpoint checkpoint = read_checkpoint(latest->path);
  if (checkpoint.config != options_.config) {
    throw InputError(options_.run_dir + " holds a run of config '" + checkpoint.config + "' (" +
                     latest->path + "), not of --config=" + options_.config +
                     "; use another --run_dir");
  }
  restore_checkpoint(checkpoint, latest->path, options_.config, params_, &adam_);
  state_ = {checkpoint.global_step, checkpoint.data_seed, checkpoint.data_position, latest->path};
  log_info("resuming from " + latest->path + " at step " + std::to_string(state_.global_step));
}

void Trainer::save_checkpoint() {
  Checkpoint checkpoint = make_checkpoint(options_.config, hparams_to_string(options_.hparams),
                                          state_.global_step, params_, &adam_);
  checkpoint.data_seed = state_.data_seed;
  checkpoint.data_position = state_.data_position;
  std::string path = checkpoint_path(train_dir_, state_.global_step);
  write_checkpoint(path, checkpoint);
  state_.last_checkpoint = path;
  prune_checkpoints(train_dir_, options_.num_checkpoints);
  log_info("saved " + path);
}

void Trainer::check_finite(const BatchStats& stats, double gradient_norm) {
  if (std::isfinite(stats.loss()) && std::isfinite(gradient_norm)) return;
  std::string kept = state_.last_checkpoint.empty()
                         ? "no checkpoint was written yet"
                         : "the last good checkpoint, " + state_.last_checkpoint + ", is kept";
  throw InputError("step " + std::to_string(state_.global_step + 1) + ": the loss is " +
                   (std::isfinite(stats.loss()) ? "finite but a gradient is not" : "NaN or Inf") +
                   "; " + kept +
                   ". Hint: lower learning_rate or clip_norm in --hparams, or check the "
                   "training data for broken examples");
}

void Trainer::run() {
  const bool chief = comm_.rank() == 0;
  const int ranks = comm_.size();
  if (!chief && log_level() < LogLevel::kWarn) set_log_level("WARN");
  const int batch_size = options_.hparams.batch_size;
  if (batch_size % ranks != 0) {
    throw UsageError("batch_size " + std::to_string(batch_size) + " is the global batch and must " +
                     "be a multiple of the number of ranks, " + std::to_string(ranks));
  }
  if (chief) {
    std::error_code error;
    std::filesystem::create_directories(train_dir_, error);
    if (error) throw InputError(train_dir_ + ": cannot create the directory: " + error.message());
  }
  // The eval job's early-stop file (train/best_checkpoint.h): rank 0 reads it, and every
  // rank stops at the next step's agreement.
  bool early_stop_requested = false;
  if (std::optional<std::string> stop = chief ? early_stop_notice(train_dir_) : std::nullopt) {
    log_info(*stop + "; not training (delete the file to train on)");
    early_stop_requested = true;
  }
  restore_or_initialise();
  if (options_.num_training_steps > 0 && state_.global_step >= options_.num_training_steps) {
    log_info("already at step " + std::to_string(state_.global_step) + " >= --num_training_steps");
    return;
  }
  // Each rank: its shard of the data, its own data and dropout streams (rank 0 of a run
  // of one keeps the single-process seeds).
  auto rank_seed = [&](uint64_t seed) {
    return ranks == 1 ? seed : mix_seed(seed, 0x5eed0000ull + comm_.rank());
  };
  DataOptions data = options_.data;
  data.shard_index = comm_.rank();
  data.shard_count = ranks;
  std::unique_ptr<BatchProducer> producer_holder;
  collectively(comm_, [&] {
    producer_holder = std::make_unique<BatchProducer>(
        open_training_stream(data, config_,
                             rank_seed(mix_seed(state_.data_seed, state_.data_position))),
        config_, batch_size / ranks);
  });
  BatchProducer& producer = *producer_holder;
  TrainingStep step(params_.shape(), training_options(config_, options_));
  log_info(std::string("precision: ") + precision_name(step.precision()) +
           ", hparams: " + hparams_to_string(options_.hparams));
  if (ranks > 1) log_info("data-parallel: " + comm_.description());
  std::optional<SummaryWriter> summaries;
  if (chief) summaries.emplace(train_dir_);

  auto stop_requested = [&] {
    return options_.stop_requested && options_.stop_requested->load(std::memory_order_relaxed);
  };
  const int64_t first_step = state_.global_step;
  const auto run_start = Clock::now();
  auto last_save = Clock::now();
  auto interval_start = Clock::now();
  double interval_wait_start = 0;
  BatchStats interval_stats;
  double interval_label_steps = 0;
  int64_t interval_events = 0;
  double total_events = 0;
  double allreduce_wait = 0;
  ProducedBatch produced;
  bool saved_at_current_step = !state_.last_checkpoint.empty();
  GradientOptions gradient_options;
  if (ranks > 1) gradient_options.on_ready = [&](std::span<float> g) { comm_.start_sum(g); };

  // Rank 0's own writes (summaries, checkpoints). With several ranks an error there is
  // reported in the next step's agreement, so no rank waits for one that has given up.
  std::string chief_error;
  auto chief_writes = [&](auto&& write) {
    if (!chief) return;
    if (ranks == 1) return write();
    try {
      write();
    } catch (const InputError& e) {
      if (chief_error.empty()) chief_error = e.what();
    }
  };

  while (!(ranks == 1 && stop_requested()) &&
         (options_.num_training_steps == 0 || state_.global_step < options_.num_training_steps)) {
    std::string data_error = chief_error;
    try {
      producer.next(produced);
    } catch (const InputError& e) {
      if (ranks == 1) throw;
      if (data_error.empty()) data_error = e.what();
    }
    const Batch& batch = produced.batch;
    StepAgreement agreement = agree_on_step(
        comm_,
        count_predictions(batch.labels.data(),
                          int64_t{batch.batch_size} * batch.max_length * batch.num_heads),
        stop_requested() || early_stop_requested, data_error);
    if (agreement.stop) break;
    gradient_options.divisor = agreement.global_predictions;
    BatchStats stats = step.compute_gradients(
        params_, batch, rank_seed(mix_seed(state_.data_seed, state_.global_step)), grads_,
        gradient_options);
    allreduce_wait += comm_.finish_sums();
    sum_over_ranks(comm_, stats, produced.label_steps, produced.events);
    double norm = clip_gradients(grads_, static_cast<float>(options_.hparams.clip_norm),
                                 ClipMode::kPerTensor);
    check_finite(stats, norm);
    const double learning_rate = learning_rate_at(options_.hparams, state_.global_step);
    adam_.set_learning_rate(static_cast<float>(learning_rate));
    adam_.step(params_, grads_);
    ++state_.global_step;
    state_.data_position += batch_size;
    saved_at_current_step = false;
    interval_stats.add(stats);
    interval_label_steps += produced.label_steps;
    interval_events += produced.events;
    total_events += static_cast<double>(produced.events);
    if (state_.global_step % options_.replica_check_steps == 0) {
      check_replicas_agree(comm_, params_, state_.global_step);
    }

    if (state_.global_step % options_.summary_frequency == 0) {
      double seconds = seconds_since(interval_start);
      double events_per_second = interval_events / seconds;
      double waited = producer.seconds_waited() - interval_wait_start;
      double steps_per_second = (state_.global_step - first_step) / seconds_since(run_start);
      std::string eta = options_.num_training_steps > 0
                            ? format_duration((options_.num_training_steps - state_.global_step) /
                                              steps_per_second)
                            : "-";
      char line[256];
      std::snprintf(line, sizeof line,
                    "step %lld: loss = %.4f, perplexity = %.3f, accuracy = %.4f, "
                    "events/s = %.0f, data wait = %.1f%%, lr = %.3g, ETA %s",
                    static_cast<long long>(state_.global_step), interval_stats.loss(),
                    interval_stats.perplexity(), interval_stats.accuracy(), events_per_second,
                    100.0 * waited / seconds, learning_rate, eta.c_str());
      log_info(line);
      auto scalars = summary_scalars(interval_stats, interval_label_steps);
      scalars.push_back(
          {"global_step/sec", static_cast<float>(options_.summary_frequency / seconds)});
      scalars.push_back({"learning_rate", static_cast<float>(learning_rate)});
      chief_writes([&] { summaries->add_scalars(state_.global_step, scalars); });
      if (std::optional<std::string> stop = chief ? early_stop_notice(train_dir_) : std::nullopt) {
        log_info(*stop + "; stopping");
        early_stop_requested = true;  // every rank stops at the next step's agreement
      }
      interval_stats = BatchStats();
      interval_label_steps = 0;
      interval_events = 0;
      interval_start = Clock::now();
      interval_wait_start = producer.seconds_waited();
    }
    if (chief && seconds_since(last_save) >= options_.save_checkpoint_secs) {
      chief_writes([&] {
        save_checkpoint();
        saved_at_current_step = true;
      });
      last_save = Clock::now();
    }
  }
  check_replicas_agree(comm_, params_, state_.global_step);
  if (!chief_error.empty()) throw InputError(chief_error);
  if (chief && !saved_at_current_step) save_checkpoint();
  double total = seconds_since(run_start);
  char summary[256];
  std::snprintf(summary, sizeof summary,
                "trained %lld steps in %.1f s (%.0f events/s); waited on data %.2f s (%.2f%%)",
                static_cast<long long>(state_.global_step - first_step), total,
                total_events / total, producer.seconds_waited(),
                100.0 * producer.seconds_waited() / total);
  log_info(summary);
  if (ranks > 1) {
    std::snprintf(summary, sizeof summary,
                  "rank 0 waited %.3f s for gradient allreduces (%.1f ms per step)", allreduce_wait,
                  1e3 * allreduce_wait / std::max<int64_t>(1, state_.global_step - first_step));
    log_info(summary);
  }
}

// Evaluates one checkpoint over all eval examples.
BatchStats evaluate_checkpoint(const ParamArena& params, TrainingStep& step,
                               const std::vector<EncodedExample>& examples,
                               const PerformanceConfig& config, int batch_size,
                               double& label_steps) {
  BatchStats total;
  Batch batch;
  label_steps = 0;
  const InputLayout layout = config.input_layout();
  for (size_t begin = 0; begin < examples.size(); begin += batch_size) {
    size_t count = std::min(examples.size() - begin, static_cast<size_t>(batch_size));
    std::span<const EncodedExample> slice(examples.data() + begin, count);
    build_batch(slice, layout, config.num_heads(), batch);
    total.add(step.evaluate(params, batch));
    for (const EncodedExample& e : slice) label_steps += config.labels_to_num_steps(e.labels);
  }
  return total;
}

}  // namespace

void run_training(const TrainOptions& options, Communicator& comm) {
  const PerformanceConfig& config = find_performance_config(options.config);
  Trainer trainer(options, config, comm);
  trainer.run();
}

void run_eval(const TrainOptions& options) {
  const PerformanceConfig& config = find_performance_config(options.config);
  const std::string train_dir = options.run_dir + "/train";
  std::vector<EncodedExample> examples =
      load_eval_examples(options.data, config, options.num_eval_examples);
  int64_t events = 0;
  for (const EncodedExample& e : examples) events += e.num_steps;
  log_info("eval: " + std::to_string(examples.size()) + " examples, " + std::to_string(events) +
           " events");
  ParamArena params(network_shape(config, options.hparams));
  TrainingOptions step_options = training_options(config, options);
  TrainingStep step(params.shape(), step_options);
  SummaryWriter summaries(options.run_dir + "/eval");
  BestCheckpointKeeper best(train_dir, options.early_stopping_patience);
  int64_t last_step = -1;
  auto last_new = Clock::now();
  for (;;) {
    std::optional<CheckpointFile> latest = latest_checkpoint(train_dir);
    if (latest && latest->step > last_step) {
      try {
        Checkpoint checkpoint = read_checkpoint(latest->path);
        restore_checkpoint(checkpoint, latest->path, options.config, params, nullptr);
      } catch (const InputError& e) {
        std::error_code error;
        if (std::filesystem::exists(latest->path, error)) throw;
        continue;  // pruned by the trainer between listing and reading
      }
      double label_steps = 0;
      BatchStats stats = evaluate_checkpoint(params, step, examples, config,
                                             options.hparams.batch_size, label_steps);
      auto scalars = summary_scalars(stats, label_steps);
      scalars.push_back(
          {"metrics/mean_per_class_accuracy", static_cast<float>(stats.mean_per_class_accuracy())});
      summaries.add_scalars(latest->step, scalars);
      char line[256];
      std::snprintf(line, sizeof line,
                    "eval step %lld: loss = %.4f (nll_per_event), perplexity = %.3f, "
                    "accuracy = %.4f, loss_per_step = %.4f over %lld events",
                    static_cast<long long>(latest->step), stats.loss(), stats.perplexity(),
                    stats.accuracy(), stats.loss_per_step(label_steps),
                    static_cast<long long>(stats.predictions));
      log_info(line);
      last_step = latest->step;
      last_new = Clock::now();
      if (best.record(latest->step, stats.loss(), options.config,
                      hparams_to_string(options.hparams), params)) {
        log_info("eval: new best checkpoint (step " + std::to_string(latest->step) + ") saved as " +
                 best.best_path());
      }
      if (best.should_stop()) {
        log_info("eval: early stopping: " + std::to_string(options.early_stopping_patience) +
                 " evaluations without improving on step " + std::to_string(best.best_step()) +
                 "; the trainer stops at its next log line");
        return;
      }
      if (options.num_training_steps > 0 && last_step >= options.num_training_steps) return;
    }
    if (seconds_since(last_new) > options.eval_timeout_secs) {
      log_info("eval: no new checkpoint for " + std::to_string(options.eval_timeout_secs) +
               " s; stopping");
      return;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(
        std::min(options.eval_interval_secs, options.eval_timeout_secs)));
  }
}

}  // namespace prnn
