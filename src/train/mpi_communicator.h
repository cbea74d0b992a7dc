// The Open MPI communicator (built only with PRNN_MPI): MPI_COMM_WORLD's ranks.
//
// MPI is initialised (MPI_THREAD_SERIALIZED) by the constructor and finalised by the
// destructor. Sums are MPI_Allreduce(MPI_SUM) in place. With `overlap`, start_sum hands
// each span to a communication thread that reduces them one after another while the
// trainer computes (Horovod's and PyTorch DDP's overlap of the gradient allreduce with
// the backward pass); without it, finish_sums() reduces all started spans itself,
// adjacent spans merged into one call (the whole gradient arena is one MPI_Allreduce).
// The trainer calls other collectives only after finish_sums(), so calls never overlap.
// MPI errors are fatal (MPI_ERRORS_ARE_FATAL): mpirun then stops every rank.
#pragma once

#include <memory>

#include "train/communicator.h"

namespace prnn {

std::unique_ptr<Communicator> make_mpi_communicator(bool overlap);

}  // namespace prnn
