// The subcommands of the `performance_rnn` executable.
//
// Each command lives in its own file under tools/ and registers itself with
// PRNN_COMMAND(name, summary, function). The function receives argv with argv[0] set
// to the command's name and returns the process exit status. The Magenta-named programs
// (performance_rnn_generate, ...) are links to the same executable; main() maps their
// names to commands through `magenta_alias`.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace prnn {

using CommandFunction = int (*)(int argc, char** argv);

struct Command {
  std::string name;
  std::string summary;
  CommandFunction run;
};

std::vector<Command>& command_registry();

struct CommandRegistrar {
  CommandRegistrar(const char* name, const char* summary, CommandFunction run) {
    command_registry().push_back({name, summary, run});
  }
};

// Exit status of a command that failed for a reason other than its input (sysexits'
// EX_SOFTWARE).
inline constexpr int kInternalErrorStatus = 70;

// Wraps a command body: InputError (and UsageError) become a message on stderr and a
// non-zero exit (2 for usage errors, 1 otherwise); any other exception is the last
// catch of the command, "internal error: ..." and kInternalErrorStatus.
int run_guarded(const std::string& command, int (*body)(int, char**), int argc, char** argv);

// What run_guarded does with an error: prints it as `command: …` and returns the exit
// status (2 for a UsageError, 1 otherwise).
int report_error(const std::string& command, const InputError& error);

}  // namespace prnn

#define PRNN_COMMAND(name, summary, function) \
  static ::prnn::CommandRegistrar prnn_command_registrar_##function(name, summary, function)
