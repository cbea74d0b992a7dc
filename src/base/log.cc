#include "base/log.h"

#include <atomic>
#include <cstdio>

#include "base/error.h"

namespace prnn {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
const char* const kNames[] = {"DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
}  // namespace

void set_log_level(const std::string& name) {
  for (int i = 0; i < 5; ++i) {
    if (name == kNames[i] || (i == 2 && name == "WARNING")) {
      g_level = i;
      return;
    }
  }
  throw UsageError("--log: unknown level '" + name + "' (DEBUG, INFO, WARN, ERROR, FATAL)");
}

LogLevel log_level() { return static_cast<LogLevel>(g_level.load()); }

void log_message(LogLevel level, const std::string& message) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::string line = std::string(kNames[static_cast<int>(level)]) + ": " + message + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace prnn
