// OpenMP wait policy of the executable: PASSIVE for every command but training.
//
// libgomp reads OMP_WAIT_POLICY once, in its constructor, before main(); by default an idle
// thread spins for up to ~300,000 iterations at every barrier and region end. Generation,
// priming, evaluate and the studio enter one short parallel region (3-4 barriers) per
// network step: on a machine whose cores are shared with other work the spinning thread
// takes the core the working thread needs, and two threads ran 10-100x slower than one
// (batch 10: 98-126 events/s spinning, 9,400-11,800 passive, 1,400-3,300 on one thread, all
// at load 9-13 on the 2 cores; evaluate: 6x the CPU time of one thread). Passive threads
// sleep in the kernel instead. Training keeps libgomp's default (its oneDNN products were
// tuned with it; passive waiting there is not measured). A value the user set is kept.
//
// libgomp has no call to change the policy once loaded, so main() sets the variable and
// executes the program again (/proc/self/exe, same arguments): a few milliseconds, once.
#include "omp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace prnn {
namespace {

bool is_training(int argc, char** argv) {
  const char* program = std::strrchr(argv[0], '/');
  program = program != nullptr ? program + 1 : argv[0];
  if (std::strcmp(program, "performance_rnn_train") == 0) return true;
  if (argc >= 2 && std::strcmp(argv[1], "train") == 0) return true;
  return argc >= 3 && std::strcmp(argv[1], "benchmark") == 0 && std::strcmp(argv[2], "train") == 0;
}

}  // namespace

void use_passive_omp_wait_policy(int argc, char** argv) {
  if (argc < 1 || std::getenv("OMP_WAIT_POLICY") != nullptr || is_training(argc, argv)) return;
  if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  execv("/proc/self/exe", argv);  // returns only on failure: then run with the default policy
}

}  // namespace prnn
