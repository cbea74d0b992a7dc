// `performance_rnn benchmark allreduce`: the gradient allreduce alone, under mpirun (a
// PRNN_MPI build): MPI_Allreduce(sum) of a float buffer the size of a model's gradients
// (default 3x512 with 388 classes: 6,242,692 floats, 24.97 MB). Rank 0 prints one JSON
// line: the median and minimum seconds per allreduce and the bus bandwidth of a ring
// (2 (N − 1) / N of the buffer sent per rank).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.h"
#include "base/flags.h"
#include "benchmark_case.h"
#include "train/communicator.h"

namespace prnn {
namespace {

int benchmark_allreduce(int argc, char** argv) {
  int64_t floats = 6242692;
  int iters = 20, warmup = 3;
  FlagSet flags("performance_rnn benchmark allreduce",
                "Time of one gradient allreduce between the ranks of mpirun.");
  flags.add("floats", &floats, "buffer size in floats");
  flags.add("iters", &iters, "measured allreduces");
  flags.add("warmup", &warmup, "unmeasured allreduces first");
  if (!flags.parse(argc, argv)) return 0;
  if (floats < 1 || iters < 1 || warmup < 0) throw UsageError("--floats and --iters must be >= 1");
  std::unique_ptr<Communicator> comm = make_communicator(false);
  if (comm->size() < 2) throw UsageError("run it under mpirun with at least 2 ranks");
  std::vector<float> buffer(static_cast<size_t>(floats), 0.0f);  // sums stay finite
  std::vector<double> seconds;
  for (int it = 0; it < warmup + iters; ++it) {
    const auto start = std::chrono::steady_clock::now();
    comm->start_sum(buffer);
    comm->finish_sums();
    const double t =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (it >= warmup) seconds.push_back(t);
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double bytes = 4.0 * static_cast<double>(floats);
  const int n = comm->size();
  if (comm->rank() != 0) return 0;
  nlohmann::json out = {{"what", "allreduce"},
                        {"ranks", n},
                        {"bytes", bytes},
                        {"median_s", median},
                        {"min_s", seconds.front()},
                        {"bus_GB_per_s", 2.0 * (n - 1) / n * bytes / median / 1e9},
                        {"transport", comm->description()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

PRNN_BENCHMARK_CASE("allreduce", benchmark_allreduce);

}  // namespace
}  // namespace prnn
