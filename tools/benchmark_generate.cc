// `performance_rnn benchmark generate`: events per second of the sampling loop (network
// step, tempered softmax, inverse-CDF sample, feedback) on random weights, B streams,
// like the PyTorch peer's `generate` mode. Prints one JSON line with events per second of
// wall time and per second of process CPU time.
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.h"
#include "base/flags.h"
#include "benchmark_case.h"
#include "nn/generation_network.h"
#include "generate/sampler.h"
#include "nn/isa.h"

namespace prnn {
namespace {

int benchmark_generate(int argc, char** argv) {
  int batch = 1, steps = 2000, vocab = 388, threads = 1, dense_size = 0;
  std::string layers_text = "512,512,512", isa = "auto",
              weights = weight_format_name(NetworkKernels::kDefaultWeights);
  bool reference = false;
  FlagSet flags("performance_rnn benchmark generate",
                "Sampling speed of the generation network on random weights.");
  flags.add("batch", &batch, "streams generated together");
  flags.add("steps", &steps, "events per stream (after 20 warm-up steps)");
  flags.add("layers", &layers_text, "LSTM sizes, bottom first");
  flags.add("vocab", &vocab, "event classes (one-hot input and softmax)");
  flags.add("dense", &dense_size,
            "dense control inputs per step, each 1/N (the conditioned models have 20)");
  flags.add("threads", &threads, "OpenMP threads in each step (0: automatic)");
  flags.add("isa", &isa, isa_flag_help());
  flags.add("weights", &weights, "weight storage: int8, bf16 or fp32");
  flags.add("reference", &reference, "run the slow fp32 reference twin (the test oracle)");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  const WeightFormat format = parse_weight_format(weights, "--weights");
  if (batch < 1 || steps < 1 || vocab < 2 || dense_size < 0)
    throw UsageError("--batch, --steps, --vocab must be positive, --dense not negative");
  NetworkShape shape{InputLayout{dense_size, {vocab}}, layer_list(layers_text), {vocab}};
  validate_network_shape(shape);
  ParamArena params(shape);
  glorot_uniform_init(params, 1);
  const auto setup_start = std::chrono::steady_clock::now();
  GenerationNetwork network(
      params, batch, reference ? NetworkKernels::reference_twin() : NetworkKernels::fast(format));
  const double setup_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - setup_start)
          .count();
  network.set_threads(threads);
  std::vector<StreamRng> rngs;
  for (int b = 0; b < batch; ++b) rngs.emplace_back(b);
  std::vector<int32_t> events(batch, 0);
  const std::vector<float> dense(static_cast<size_t>(batch) * dense_size,
                                 dense_size > 0 ? 1.0f / dense_size : 0.0f);
  std::vector<float> scratch(vocab);
  auto run = [&](int n) {
    for (int t = 0; t < n; ++t) {
      std::span<const float> logits = network.step(batch, events, dense);
      for (int b = 0; b < batch; ++b) {
        events[b] = sample_logits(logits.subspan(static_cast<size_t>(b) * vocab, vocab), 1.0,
                                  rngs[b], scratch)
                        .index;
      }
    }
  };
  auto cpu_seconds = [] {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
  };
  run(1);  // the first event: what a caller waits for after packing the weights
  const double first_event_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - setup_start)
          .count();
  run(19);
  auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  run(steps);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  nlohmann::json out = {
      {"what", "generate"},
      {"batch", batch},
      {"layers", shape.layer_sizes},
      {"vocab", vocab},
      {"dense", dense_size},
      {"threads", threads},
      {"isa", network.kernels().reference ? "reference" : isa_name(network.kernels().isa)},
      {"weights", weight_format_name(network.kernels().weights)},
      {"cpu", cpu_model_name()},
      {"weight_bytes", network.weight_bytes()},
      {"pack_ms", std::round(setup_ms * 10) / 10},
      // Weights packed and the first event sampled (zero state, no primer).
      {"first_event_ms", std::round(first_event_ms * 10) / 10},
      {"events_per_s", std::round(batch * steps / seconds * 10) / 10},
      // Load-independent view on a shared machine: events per CPU second.
      {"events_per_cpu_s", std::round(batch * steps / cpu * 10) / 10}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

PRNN_BENCHMARK_CASE("generate", benchmark_generate);

}  // namespace prnn
