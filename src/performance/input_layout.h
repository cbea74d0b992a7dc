// How one time step's network input is laid out; the contract between the event
// encodings (src/performance), the example files (src/data) and the network (src/nn).
//
// The logical input vector of a step is
//   [ dense values (dense_size floats) | one-hot group 0 | one-hot group 1 | ... ]
// in that order, which is Magenta's order (control signals first, then the event
// encoding), so the first LSTM layer's kernel rows follow it, then the recurrent rows.
// One-hot groups are never materialised: a step stores one class index per group and
// the network gathers the matching kernel rows.
//
// Examples (Magenta configs): performance_with_dynamics = {0, {388}};
// multiconditioned_… = {20, {388}}; …_modulo_encoding = {16, {}};
// …_note_encoding = {0, {13, 77, 128, 32, 25, 40}}.
#pragma once

#include <numeric>
#include <vector>

namespace prnn {

struct InputLayout {
  int dense_size = 0;
  std::vector<int> onehot_sizes;

  // Width of the logical input vector (the first layer's input rows).
  int input_size() const {
    return dense_size + std::accumulate(onehot_sizes.begin(), onehot_sizes.end(), 0);
  }
  int num_groups() const { return static_cast<int>(onehot_sizes.size()); }
  bool operator==(const InputLayout&) const = default;
};

}  // namespace prnn
