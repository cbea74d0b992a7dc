// OpenMP waiting of the executable: a short spin for every command but training.
//
// libgomp reads OMP_WAIT_POLICY and GOMP_SPINCOUNT once, in its constructor, before main().
// By default an idle thread spins for up to ~300,000 iterations at every barrier and region
// end. Generation, priming, evaluate and the studio enter one short parallel region (3-4
// barriers) per network step: on a machine whose cores are shared with other work the
// spinning thread takes the core the working thread needs (batch 10 on two threads: 98-126
// events/s spinning against 1,400-3,300 on one thread, load 9-13 on the 2 cores). Sleeping
// at once (OMP_WAIT_POLICY=PASSIVE, spin count 0) avoids that but makes every barrier a
// kernel wake-up: on a quiet machine two passive threads were slower than one at batch 1
// (avx2: 3,000-3,500 against 4,200-4,400 events/s) and gained little at batch 10. A short
// spin (kShortSpinCount, a fraction of a millisecond) hands over at the barriers without
// sleeping and bounds what a spinning thread can take (doc/perf.md, 2026-12-01 late
// session). Training keeps libgomp's default (its oneDNN products were tuned with it). A
// value the user set is kept.
//
// libgomp has no call to change these once loaded, so main() sets the variable and
// executes the program again (/proc/self/exe, same arguments): a few milliseconds, once.
#include "omp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace prnn {
namespace {

// Spin iterations an idle OpenMP thread waits at a barrier before it sleeps in the kernel
// (libgomp's default: 300,000).
constexpr const char* kShortSpinCount = "10000";

bool is_training(int argc, char** argv) {
  const char* program = std::strrchr(argv[0], '/');
  program = program != nullptr ? program + 1 : argv[0];
  if (std::strcmp(program, "performance_rnn_train") == 0) return true;
  if (argc >= 2 && std::strcmp(argv[1], "train") == 0) return true;
  return argc >= 3 && std::strcmp(argv[1], "benchmark") == 0 && std::strcmp(argv[2], "train") == 0;
}

}  // namespace

void use_short_omp_spin(int argc, char** argv) {
  if (argc < 1 || std::getenv("OMP_WAIT_POLICY") != nullptr ||
      std::getenv("GOMP_SPINCOUNT") != nullptr || is_training(argc, argv)) {
    return;
  }
  if (setenv("GOMP_SPINCOUNT", kShortSpinCount, 1) != 0) return;
  execv("/proc/self/exe", argv);  // returns only on failure: then run with the default policy
}

}  // namespace prnn
