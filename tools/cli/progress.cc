#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace prnn {
namespace {

constexpr auto kTerminalInterval = std::chrono::milliseconds(100);
constexpr auto kLogInterval = std::chrono::seconds(5);
constexpr int kBarWidth = 30;

}  // namespace

ProgressReporter::ProgressReporter(std::string what, uint64_t total)
    : what_(std::move(what)),
      total_(total),
      terminal_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressReporter::update(uint64_t done) {
  done_ = done;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < (terminal_ ? kTerminalInterval : kLogInterval)) return;
  last_draw_ = now;
  draw(done);
}

void ProgressReporter::finish() {
  draw(done_);
  if (terminal_) std::fputc('\n', stderr);
}

void ProgressReporter::draw(uint64_t done) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? done / seconds : 0.0;
  if (!terminal_) {
    std::fprintf(stderr, "INFO: %llu/%llu %s (%.1f %s/s)\n", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_), what_.c_str(), rate, what_.c_str());
    return;
  }
  int filled = total_ ? static_cast<int>(kBarWidth * done / total_) : 0;
  std::string bar(filled, '#');
  bar.resize(kBarWidth, '.');
  std::fprintf(stderr, "\r[%s] %llu/%llu %s  %.1f %s/s ", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
               what_.c_str(), rate, what_.c_str());
  std::fflush(stderr);
}

}  // namespace prnn
