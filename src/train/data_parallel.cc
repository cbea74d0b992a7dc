#include "train/data_parallel.h"

#include <cstdio>

#include "base/crc32c.h"
#include "base/error.h"

namespace prnn {

StepAgreement agree_on_step(Communicator& comm, int64_t predictions, bool stop_requested,
                            const std::string& error) {
  const int64_t mine[3] = {predictions, stop_requested ? 1 : 0, error.empty() ? 0 : 1};
  std::vector<int64_t> all = comm.allgather(mine);
  StepAgreement agreement;
  int failed = -1;
  for (int r = 0; r < comm.size(); ++r) {
    agreement.global_predictions += all[3 * r];
    agreement.stop = agreement.stop || all[3 * r + 1] != 0;
    if (failed < 0 && all[3 * r + 2] != 0) failed = r;
  }
  if (failed < 0) return agreement;
  if (comm.size() == 1) throw InputError(error);
  std::string message = comm.broadcast_string(error, failed);
  throw InputError("rank " + std::to_string(failed) + " of " + std::to_string(comm.size()) + ": " +
                   message);
}

void sum_over_ranks(Communicator& comm, BatchStats& stats, double& label_steps, int64_t& events) {
  if (comm.size() == 1) return;
  double values[] = {stats.cross_entropy_sum,
                     static_cast<double>(stats.predictions),
                     static_cast<double>(stats.correct),
                     static_cast<double>(stats.event_predictions),
                     static_cast<double>(stats.event_correct),
                     static_cast<double>(stats.no_event_predictions),
                     static_cast<double>(stats.no_event_correct),
                     label_steps,
                     static_cast<double>(events)};
  comm.sum(values);  // counts are exact in double below 2^53
  stats.cross_entropy_sum = values[0];
  stats.predictions = static_cast<int64_t>(values[1]);
  stats.correct = static_cast<int64_t>(values[2]);
  stats.event_predictions = static_cast<int64_t>(values[3]);
  stats.event_correct = static_cast<int64_t>(values[4]);
  stats.no_event_predictions = static_cast<int64_t>(values[5]);
  stats.no_event_correct = static_cast<int64_t>(values[6]);
  label_steps = values[7];
  events = static_cast<int64_t>(values[8]);
}

void broadcast_from_rank0(Communicator& comm, ParamArena& params, AdamOptimizer& adam,
                          std::span<int64_t> counters) {
  if (comm.size() == 1) return;
  comm.broadcast_values(std::span<float>(params.values), 0);
  comm.broadcast_values(std::span<float>(adam.m.values), 0);
  comm.broadcast_values(std::span<float>(adam.v.values), 0);
  comm.broadcast_values(std::span<int64_t>(&adam.steps, 1), 0);
  comm.broadcast_values(counters, 0);
}

uint32_t parameter_checksum(const ParamArena& params) {
  return crc32c(params.values.data(), params.values.size() * sizeof(float));
}

void check_replicas_agree(Communicator& comm, const ParamArena& params, int64_t step) {
  if (comm.size() == 1) return;
  const int64_t mine = parameter_checksum(params);
  std::vector<int64_t> all = comm.allgather(std::span<const int64_t>(&mine, 1));
  bool same = true;
  std::string list;
  for (int r = 0; r < comm.size(); ++r) {
    char entry[48];
    std::snprintf(entry, sizeof entry, "%srank %d %08x", r ? ", " : "", r,
                  static_cast<unsigned>(all[r]));
    list += entry;
    same = same && all[r] == all[0];
  }
  if (same) return;
  throw InputError(
      "step " + std::to_string(step) + ": the ranks' parameters differ (CRC-32C " + list +
      "); the replicas are no longer one model (an MPI reduction that is not "
      "bit-identical on every rank, a bug, or memory corruption). Restart from the last "
      "checkpoint");
}

}  // namespace prnn
