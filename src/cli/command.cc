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
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s: error: %s\n", command.c_str(), e.what());
    return 1;
  }
}

}  // namespace prnn
