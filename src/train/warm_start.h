// --warm_start_bundle_file: the weights of a new run from a previous model. Accepts our
// checkpoint file, or a generator bundle (.mag) holding our checkpoint or Magenta's
// TensorFlow V1 checkpoint. As in Magenta, only the network weights are taken (no
// global step, no Adam slots). Throws InputError naming the file when it is unreadable,
// was made for another config or has other shapes (both named).
#pragma once

#include <string>

#include "nn/param_arena.h"

namespace prnn {

void warm_start(const std::string& path, const std::string& config, ParamArena& params);

}  // namespace prnn
