#!/bin/bash
# Data-parallel scaling on one machine (doc/distributed.md): one process with T threads
# against mpirun -np 2 with T/2 threads each (allreduce overlapped, then not), on the
# same global batch of random events, then the gradient allreduce alone. One JSON line
# each (benchmark train / benchmark allreduce).
# Usage: bench/train_mpi_bench.sh BINARY [GLOBAL_BATCH=16] [ITERS=3] [THREADS=2]
set -euo pipefail
binary=$1 batch=${2:-16} iters=${3:-3} threads=${4:-2}
shape=(--seq 512 --layers 512,512,512 --vocab 388 --iters "$iters" --warmup 1)
mpirun=(env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
        mpirun -np 2 --oversubscribe --bind-to none -x OMP_NUM_THREADS=$((threads / 2)))
OMP_NUM_THREADS=$threads "$binary" benchmark train --batch "$batch" "${shape[@]}"
"${mpirun[@]}" "$binary" benchmark train --batch "$batch" "${shape[@]}"
"${mpirun[@]}" "$binary" benchmark train --batch "$batch" "${shape[@]}" --nooverlap
"${mpirun[@]}" "$binary" benchmark allreduce
