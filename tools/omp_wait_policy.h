// See omp_wait_policy.cc: every command but training runs libgomp with a short spin.
#pragma once

namespace prnn {

// Unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set or the command trains: sets
// GOMP_SPINCOUNT to a short spin (omp_wait_policy.cc) and executes the program again with the same
// arguments. Call first thing in main().
void use_short_omp_spin(int argc, char** argv);

}  // namespace prnn
