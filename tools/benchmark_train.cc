// `performance_rnn benchmark train`: full training steps (forward, backward, per-tensor
// clipping, Adam) on random events, like the PyTorch peer's `train` mode. Prints one JSON
// line with tokens_per_s and the time of each part of the step. Under mpirun (a PRNN_MPI
// build) --batch is the global batch, split between the ranks, whose gradients are summed
// as the trainer sums them (train/data_parallel.h); rank 0 prints, with the time it
// waited for the allreduce.
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "base/error.h"
#include "base/flags.h"
#include "benchmark_case.h"
#include "nn/isa.h"
#include "nn/optimizer.h"
#include "nn/training_step.h"
#include "train/communicator.h"

namespace prnn {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int benchmark_train(int argc, char** argv) {
  int batch_size = 64, seq = 512, vocab = 388, iters = 5, warmup = 2;
  std::string layers_text = "512,512,512", precision_text = "auto", isa = "auto";
  double keep_prob = 1.0;
  bool overlap = true;
  FlagSet flags("performance_rnn benchmark train", "Training-step speed on random events.");
  flags.add("batch", &batch_size, "batch size");
  flags.add("seq", &seq, "events per example");
  flags.add("layers", &layers_text, "LSTM layer sizes");
  flags.add("vocab", &vocab, "event classes (one-hot input and output)");
  flags.add("iters", &iters, "measured steps");
  flags.add("warmup", &warmup, "unmeasured steps first");
  flags.add("precision", &precision_text, "auto, fp32 or bf16");
  flags.add("dropout_keep_prob", &keep_prob, "dropout keep probability");
  flags.add("isa", &isa, isa_flag_help());
  flags.add("overlap", &overlap,
            "under mpirun: overlap the gradient allreduce with the backward pass");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  if (batch_size < 1 || seq < 1 || vocab < 1 || iters < 1 || warmup < 0) {
    throw UsageError("--batch, --seq, --vocab and --iters must be positive");
  }
  std::unique_ptr<Communicator> comm = make_communicator(overlap);
  if (batch_size % comm->size() != 0) throw UsageError("--batch must be a multiple of the ranks");
  const int global_batch = batch_size;
  batch_size /= comm->size();
  NetworkShape shape{{0, {vocab}}, layer_list(layers_text), {vocab}};
  validate_network_shape(shape);
  TrainingStep step(shape, {.precision = parse_precision(precision_text),
                            .dropout_keep_prob = static_cast<float>(keep_prob),
                            .no_event_labels = {}});
  ParamArena params(shape), grads(shape);
  glorot_uniform_init(params, 1);
  AdamOptimizer adam(params, {});

  Batch batch;
  batch.batch_size = batch_size;
  batch.max_length = seq;
  batch.layout = shape.input;
  batch.lengths.assign(batch_size, seq);
  std::mt19937 rng(comm->rank());
  std::uniform_int_distribution<int> event(0, vocab - 1);
  batch.onehot.resize(int64_t{seq} * batch_size);
  batch.labels.resize(batch.onehot.size());
  for (auto& x : batch.onehot) x = event(rng);
  for (auto& x : batch.labels) x = event(rng);

  GradientOptions gradient_options;
  gradient_options.divisor = int64_t{global_batch} * seq;
  if (comm->size() > 1) gradient_options.on_ready = [&](std::span<float> g) { comm->start_sum(g); };
  double total = 0, gradients = 0, clip = 0, update = 0, loss = 0, waited = 0;
  for (int it = 0; it < warmup + iters; ++it) {
    const auto start = std::chrono::steady_clock::now();
    loss = step.compute_gradients(params, batch, it, grads, gradient_options).loss();
    const double wait = comm->finish_sums();
    const double t_grad = seconds_since(start);
    clip_gradients(grads, 3.0f, ClipMode::kPerTensor);
    const double t_clip = seconds_since(start);
    adam.step(params, grads);
    const double t_all = seconds_since(start);
    if (it >= warmup) {
      total += t_all;
      gradients += t_grad;
      clip += t_clip - t_grad;
      update += t_all - t_clip;
      waited += wait;
    }
  }
  if (comm->rank() != 0) return 0;
  nlohmann::json out = {
      {"what", "prnn train"},
      {"batch", global_batch},
      {"ranks", comm->size()},
      {"threads_per_rank", omp_get_max_threads()},
      {"seq", seq},
      {"layers", shape.layer_sizes},
      {"vocab", vocab},
      {"precision", precision_name(step.precision())},
      {"isa", isa_name(selected_isa())},
      {"cpu", cpu_model_name()},
      {"tokens_per_s", std::round(10.0 * global_batch * seq * iters / total) / 10},
      {"step_s", total / iters},
      {"forward_backward_s", gradients / iters},
      {"clip_s", clip / iters},
      {"adam_s", update / iters},
      {"allreduce_wait_s", waited / iters},
      {"overlap", comm->size() > 1 && overlap},
      {"loss", loss}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

PRNN_BENCHMARK_CASE("train", benchmark_train);

}  // namespace
}  // namespace prnn
