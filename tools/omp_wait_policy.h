// See omp_wait_policy.cc: every command but training runs with OMP_WAIT_POLICY=PASSIVE.
#pragma once

namespace prnn {

// Unless OMP_WAIT_POLICY is set or the command trains: sets it to PASSIVE and executes the
// program again with the same arguments. Call first thing in main().
void use_passive_omp_wait_policy(int argc, char** argv);

}  // namespace prnn
