#include "train/communicator.h"

#include <cstdlib>

#include "base/error.h"
#include "base/number.h"
#if PRNN_WITH_MPI
#include "train/mpi_communicator.h"
#endif

namespace prnn {
namespace {

[[maybe_unused]] int mpirun_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"}) {
    if (const char* value = std::getenv(name)) {
      std::optional<int> size = parse_int(value);
      if (!size || *size < 0) {
        throw InputError(std::string("$") + name + ": '" + value + "' is not a process count");
      }
      return *size;
    }
  }
  return 0;
}

}  // namespace

std::string Communicator::broadcast_string(const std::string& text, int root) {
  int64_t length = static_cast<int64_t>(text.size());
  broadcast_values(std::span<int64_t>(&length, 1), root);
  std::string result = rank() == root ? text : std::string(static_cast<size_t>(length), '\0');
  broadcast(std::as_writable_bytes(std::span<char>(result.data(), result.size())), root);
  return result;
}

bool started_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_RANK") != nullptr || std::getenv("PMIX_RANK") != nullptr;
}

std::unique_ptr<Communicator> make_communicator(bool overlap) {
  if (!started_by_mpirun()) return std::make_unique<SingleProcessCommunicator>();
#if PRNN_WITH_MPI
  return make_mpi_communicator(overlap);
#else
  if (mpirun_world_size() > 1) {
    throw InputError("started by mpirun with " + std::to_string(mpirun_world_size()) +
                     " ranks, but this build has no MPI support (install libopenmpi-dev and "
                     "configure with -DPRNN_MPI=ON); each rank would train a model of its own");
  }
  return std::make_unique<SingleProcessCommunicator>();
#endif
}

}  // namespace prnn
