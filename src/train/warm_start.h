// --warm_start_bundle_file: the weights of a new run from a previous model. Accepts our
// checkpoint file, or a generator bundle (.mag) holding our checkpoint or Magenta's
// TensorFlow V1 checkpoint. As in Magenta, only the network weights are taken (no
// global step, no Adam slots).
//
// The previous model may be of another config when only the dense (control) prefix of the
// first layer's input differs, e.g. performance_with_dynamics onto
// optional_multiconditioned_performance_with_dynamics: the one-hot and recurrent rows of
// layer 0 are copied, control rows the source lacks start at zero (the new network then
// computes exactly what the old one did until it learns to use its controls), and every
// other tensor is copied unchanged. Throws InputError naming the file when it is
// unreadable, and naming both configs and the first tensor that does not fit when the
// shapes cannot be mapped.
#pragma once

#include <string>

#include "nn/param_arena.h"

namespace prnn {

void warm_start(const std::string& path, const std::string& config, ParamArena& params);

}  // namespace prnn
