// The ranks of a data-parallel training run and the collective operations the trainer
// needs from them. Every operation is collective: all ranks call it in the same order
// with the same sizes (the trainer keeps them in lockstep); a rank that dies ends the
// run (mpirun stops the others and names it).
//
// Implementations: SingleProcessCommunicator (rank 0 of 1, every operation a no-op or
// identity: training without mpirun is exactly single-process training) and, when built
// with PRNN_MPI, the Open MPI one (train/mpi_communicator.h). Not thread-safe: one
// thread (the trainer's) calls these; the MPI one drives its own communication thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace prnn {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // E.g. "Open MPI v4.1.4, 2 ranks on 1 host"; for the log.
  virtual std::string description() const = 0;

  // Every rank's `values` (the same count on each), concatenated in rank order.
  virtual std::vector<int64_t> allgather(std::span<const int64_t> values) = 0;
  // Rank `root`'s bytes into every rank's `data` (same size everywhere).
  virtual void broadcast(std::span<std::byte> data, int root) = 0;
  // Sums `values` over the ranks in place, blocking.
  virtual void sum(std::span<double> values) = 0;
  // Starts summing `values` over the ranks in place and returns; the span must stay
  // valid and untouched until finish_sums(). Sums complete in the order started.
  virtual void start_sum(std::span<float> values) = 0;
  // Blocks until every started sum is complete; returns the seconds spent blocked.
  virtual double finish_sums() = 0;

  // Helpers over broadcast: root's string (any length) to every rank.
  std::string broadcast_string(const std::string& text, int root);
  template <typename T>
  void broadcast_values(std::span<T> values, int root) {
    broadcast(std::as_writable_bytes(values), root);
  }
};

// Rank 0 of a run of one.
class SingleProcessCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string description() const override { return "single process"; }
  std::vector<int64_t> allgather(std::span<const int64_t> values) override {
    return {values.begin(), values.end()};
  }
  void broadcast(std::span<std::byte>, int) override {}
  void sum(std::span<double>) override {}
  void start_sum(std::span<float>) override {}
  double finish_sums() override { return 0; }
};

// The communicator of this process: Open MPI's when the program was built with PRNN_MPI
// and started by mpirun (its environment says so), else a SingleProcessCommunicator (MPI
// is then never initialised). `overlap`: sums started with start_sum run on a
// communication thread while the caller computes (else each runs at finish_sums()).
// Throws InputError when MPI cannot start.
std::unique_ptr<Communicator> make_communicator(bool overlap);

// True when this process was started by mpirun (Open MPI's or PMIx's rank variables).
bool started_by_mpirun();

}  // namespace prnn
