// See omp_wait_policy.cc: every command but training runs libgomp with a short spin.
#pragma once

namespace prnn {

// Unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set or the command trains: sets
// GOMP_SPINCOUNT to kShortSpinCount and executes the program again with the same
// arguments. Call first thing in main().
void use_short_omp_spin(int argc, char** argv);

// Spin iterations an idle OpenMP thread waits at a barrier before it sleeps in the kernel
// (libgomp's default: 300,000).
inline constexpr const char* kShortSpinCount = "10000";

}  // namespace prnn
