// Minimal logging to stderr. `set_log_level` follows Magenta's --log flag names
// (DEBUG, INFO, WARN, ERROR, FATAL); messages below the level are dropped.
// Thread-safe: each message is written with one call.
#pragma once

#include <string>

namespace prnn {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kFatal = 4 };

// Throws UsageError for an unknown name.
void set_log_level(const std::string& name);
LogLevel log_level();

void log_message(LogLevel level, const std::string& message);
inline void log_debug(const std::string& m) { log_message(LogLevel::kDebug, m); }
inline void log_info(const std::string& m) { log_message(LogLevel::kInfo, m); }
inline void log_warn(const std::string& m) { log_message(LogLevel::kWarn, m); }
inline void log_error(const std::string& m) { log_message(LogLevel::kError, m); }

}  // namespace prnn
