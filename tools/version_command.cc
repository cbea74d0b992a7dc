// `performance_rnn version`: prints the program version.
#include <cstdio>

#include "cli/command.h"

namespace {
int version_main(int, char**) {
  std::printf("performance_rnn 0.1.0\n");
  return 0;
}
}  // namespace

PRNN_COMMAND("version", "print the program version", version_main);
