#include "cli/command.h"

#include <cstdio>
#include <exception>

#include "base/error.h"

namespace prnn {

std::vector<Command>& command_registry() {
  static std::vector<Command> commands;
  return commands;
}

int run_guarded(const std::string& command, int (*body)(int, char**), int argc, char** argv) {
  try {
    return body(argc, argv);
  } catch (const InputError& e) {
    return report_error(command, e);
  } catch (const std::exception& e) {
    // Not the input's fault: a bug or the machine (bad_alloc). Said as such, not as
    // "this file failed".
    std::fprintf(stderr, "%s: internal error: %s\n", command.c_str(), e.what());
    return kInternalErrorStatus;
  }
}

int report_error(const std::string& command, const InputError& error) {
  if (dynamic_cast<const UsageError*>(&error)) {
    std::fprintf(stderr, "%s: %s\n", command.c_str(), error.what());
    return 2;
  }
  std::fprintf(stderr, "%s: error: %s\n", command.c_str(), error.what());
  return 1;
}

}  // namespace prnn
