// Picks the faster of one thread and `max_threads` for an operation repeated many times
// (a network step, a primer chunk), from the wall time the operation takes: a trial of
// kTrialOps operations on each, then kExploitOps on the faster, then trials again, so that
// the choice follows the machine's load (two threads pay on idle cores and lose badly when
// another process holds one of them, doc/perf.md). The cost compared is seconds per unit
// of work (streams or rows), since operations differ in size. Not thread-safe.
#pragma once

namespace prnn {

class ThreadChooser {
 public:
  static constexpr int kTrialOps = 16;
  static constexpr int kExploitOps = 512;

  // REQUIRES: max_threads >= 1 (1: always one thread).
  explicit ThreadChooser(int max_threads = 1) : max_threads_(max_threads) {}

  int max_threads() const { return max_threads_; }

  // Threads for the next operation.
  int threads() const {
    if (max_threads_ == 1) return 1;
    switch (phase_) {
      case Phase::kTrialOne:
        return 1;
      case Phase::kTrialMany:
        return max_threads_;
      case Phase::kExploit:
        break;
    }
    return chosen_;
  }

  // After each operation: its wall time and its work units (> 0).
  void record(double seconds, double work) {
    if (max_threads_ == 1) return;
    switch (phase_) {
      case Phase::kTrialOne:
        one_ += {seconds, work};
        if (++ops_ == kTrialOps) next(Phase::kTrialMany);
        break;
      case Phase::kTrialMany:
        many_ += {seconds, work};
        if (++ops_ == kTrialOps) {
          chosen_ = many_.per_unit() < one_.per_unit() ? max_threads_ : 1;
          next(Phase::kExploit);
        }
        break;
      case Phase::kExploit:
        if (++ops_ == kExploitOps) {
          one_ = many_ = {};
          next(Phase::kTrialOne);
        }
        break;
    }
  }

 private:
  enum class Phase { kTrialOne, kTrialMany, kExploit };
  struct Cost {
    double seconds = 0, work = 0;
    Cost& operator+=(Cost other) {
      seconds += other.seconds;
      work += other.work;
      return *this;
    }
    double per_unit() const { return work > 0 ? seconds / work : 0; }
  };
  void next(Phase phase) {
    phase_ = phase;
    ops_ = 0;
  }

  int max_threads_;
  Phase phase_ = Phase::kTrialOne;
  int ops_ = 0;
  int chosen_ = 1;
  Cost one_, many_;
};

}  // namespace prnn
