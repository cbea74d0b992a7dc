// Error types shared by the whole library.
//
// InputError: something outside the program (a file, a record, a flag, a request) is
// wrong. The message names the source (file path, byte offset, flag) and what is wrong.
// Callers at a command or batch boundary catch it, report it and go on or exit non-zero.
//
// PRNN_CHECK: a broken internal invariant. It aborts with file:line; it is never used
// for outside input.
#pragma once

#include <stdexcept>
#include <string>

namespace prnn {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// Raised by flag parsing; the command prints the message and exits with status 2.
class UsageError : public InputError {
 public:
  explicit UsageError(const std::string& message) : InputError(message) {}
};

[[noreturn]] void check_failed(const char* file, int line, const char* condition);

}  // namespace prnn

#define PRNN_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::prnn::check_failed(__FILE__, __LINE__, #condition))
