// What keeps the N ranks of a data-parallel run one model (used by the trainer; with a
// SingleProcessCommunicator every function is an identity or a no-op).
//
// Each step every rank computes the gradient of its share of the global batch, divided
// by the global batch's number of predictions, so the sum over ranks is the gradient of
// the global mean loss; the sum is the communicator's (bucketed) allreduce. Then
// clipping and Adam run identically everywhere. The functions below are the agreements
// around that: errors, stop requests, metrics, initial state and a periodic checksum.
// All are collective (every rank calls them at the same point).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/error.h"
#include "nn/batch_stats.h"
#include "nn/optimizer.h"
#include "nn/param_arena.h"
#include "train/communicator.h"

namespace prnn {

struct StepAgreement {
  int64_t global_predictions = 0;  // Σ over ranks of their batches' predictions
  bool stop = false;               // some rank was asked to stop (SIGINT/SIGTERM)
};

// Exchanges each rank's predictions, stop request and error ("" = none). When a rank
// has an error every rank throws InputError "rank R of N: <its message>" (the lowest
// such rank's), so no rank waits for one that has given up.
StepAgreement agree_on_step(Communicator& comm, int64_t predictions, bool stop_requested,
                            const std::string& error);
// The same for a point with no step (startup: data files, the checkpoint).
inline void agree_on_errors(Communicator& comm, const std::string& error) {
  agree_on_step(comm, 0, false, error);
}

// Runs `work`; with several ranks an InputError on any rank stops every rank with that
// rank's message (alone, `work` throws as it would).
template <typename Work>
void collectively(Communicator& comm, Work&& work) {
  if (comm.size() == 1) {
    work();
    return;
  }
  std::string error;
  try {
    work();
  } catch (const InputError& e) {
    error = e.what();
  }
  agree_on_errors(comm, error);
}

// Sums the training metrics over the ranks (the global batch's loss and accuracies);
// the per-class vectors are left local (the trainer does not report them).
void sum_over_ranks(Communicator& comm, BatchStats& stats, double& label_steps, int64_t& events);

// Rank 0's parameters, Adam moments and step count, and `counters`, to every rank.
void broadcast_from_rank0(Communicator& comm, ParamArena& params, AdamOptimizer& adam,
                          std::span<int64_t> counters);

// CRC-32C of the parameters' bytes.
uint32_t parameter_checksum(const ParamArena& params);
// Compares parameter_checksum across ranks; a mismatch throws InputError (on every rank)
// naming the step and each rank's checksum.
void check_replicas_agree(Communicator& comm, const ParamArena& params, int64_t step);

}  // namespace prnn
