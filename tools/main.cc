// The `performance_rnn` executable: dispatches to a registered subcommand, either named
// by the first argument or by the program name (the Magenta-named links).
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/command.h"
#include "omp_wait_policy.h"

namespace {

// Magenta's program names and the subcommand each one runs.
const char* magenta_alias(const std::string& program) {
  if (program == "convert_dir_to_note_sequences") return "convert";
  if (program == "performance_rnn_create_dataset") return "create_dataset";
  if (program == "performance_rnn_train") return "train";
  if (program == "performance_rnn_generate") return "generate";
  return nullptr;
}

int usage(FILE* out) {
  std::fprintf(out, "usage: performance_rnn COMMAND [flags]   (COMMAND --help for its flags)\n\n");
  for (const auto& command : prnn::command_registry()) {
    std::fprintf(out, "  %-16s %s\n", command.name.c_str(), command.summary.c_str());
  }
  return out == stdout ? 0 : 2;
}

int dispatch(const std::string& name, int argc, char** argv) {
  for (const auto& command : prnn::command_registry()) {
    if (command.name == name) return prnn::run_guarded(name, command.run, argc, argv);
  }
  std::fprintf(stderr, "performance_rnn: unknown command '%s'\n\n", name.c_str());
  return usage(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  prnn::use_short_omp_spin(argc, argv);
  std::string program = argv[0];
  if (auto slash = program.rfind('/'); slash != std::string::npos) program.erase(0, slash + 1);
  if (const char* alias = magenta_alias(program)) return dispatch(alias, argc, argv);
  if (argc < 2) return usage(stderr);
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) return usage(stdout);
  return dispatch(argv[1], argc - 1, argv + 1);
}
