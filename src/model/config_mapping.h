// Moving a model's weights between configs that differ only in their control inputs.
//
// widen_to_config: a checkpoint of a config without controls (e.g. performance_with_dynamics)
// as weights for a config with them (e.g. optional_multiconditioned_performance_with_
// dynamics): layer 0's kernel gains zero rows for the control inputs (they come first in the
// input, InputLayout order), every other tensor is copied. The widened network computes
// exactly what the source did, whatever the control values, until training moves those rows.
//
// without_conditioning: an optional-conditioning checkpoint as the config without controls
// that has the same events (optional_multiconditioned_performance_with_dynamics →
// performance_with_dynamics). With conditioning disabled the input's controls are the
// disable flag 1 and zeros, so the flag's kernel row is a constant: it is added to layer 0's
// bias and the control rows are dropped. The result computes the conditioned network's
// function with conditioning disabled (exactly, in fp32 arithmetic).
//
// An int8 form of layer 0's kernel (an int8 export, model/int8_tensors.h) follows its input
// rows in both. Both throw InputError naming `source` (the file), both configs and the
// first tensor that does not fit.
#pragma once

#include <string>

#include "nn/param_arena.h"
#include "model/checkpoint.h"

namespace prnn {

// REQUIRES: `layout` is the network of `config` with the hparams to train.
Checkpoint widen_to_config(const Checkpoint& checkpoint, const std::string& source,
                           const std::string& config, const ParamArena& layout);

Checkpoint without_conditioning(const Checkpoint& checkpoint, const std::string& source);

}  // namespace prnn
