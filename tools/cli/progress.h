// Progress of a long batch job on stderr: a bar redrawn in place when stderr is a
// terminal, otherwise a plain line at most every few seconds (logs stay readable).
// update() is cheap enough to call per item. Not thread-safe: call from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace prnn {

class ProgressReporter {
 public:
  // `what` names the unit counted ("files"); `total` may be 0 when unknown.
  ProgressReporter(std::string what, uint64_t total);
  void update(uint64_t done);
  // Draws the final state and ends the bar's line.
  void finish();

 private:
  void draw(uint64_t done);

  std::string what_;
  uint64_t total_;
  uint64_t done_ = 0;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace prnn
