// The models that ship in models/ and which one a run without --bundle_file, --run_dir or
// --checkpoint uses.
//
// Folder: $PRNN_MODELS_DIR when set (tests point it at fixtures), else the first folder
// holding a shipped model of <executable dir>/../share/performance_rnn and
// <source tree>/models. Two files may be there: the unconditioned kShippedModelFile and
// the conditioned kConditionedModelFile (optional_multiconditioned: plays with
// conditioning on or off). models.json in the same folder records each file's eval
// NLL (nats/event); for the conditioned model the NLL with conditioning disabled:
//   {"performance_with_dynamics.safetensors.gz": {"eval_nll_per_event": 2.883},
//    "optional_multiconditioned_performance_with_dynamics.safetensors.gz":
//        {"eval_nll_per_event_conditioning_disabled": 2.85}}
//
// The rule (choose_shipped_model): $PRNN_MODEL, when set, names the one file to use (as
// for shipped_model_path(), which finds the unconditioned model only).
// Otherwise the conditioned model when a control is requested; else the conditioned
// model too when its disabled-conditioning NLL is recorded and at least as good as the
// unconditioned one's (it then plays with conditioning disabled); else the unconditioned
// model; whichever of the two exists when only one does. InputError listing the places
// looked in when there is none. Plain functions.
#pragma once

#include <string>

#include "model/generation_model.h"

namespace prnn {

// kShippedModelFile (the unconditioned model) is in model/generation_model.h.
inline constexpr const char* kConditionedModelFile =
    "optional_multiconditioned_performance_with_dynamics.safetensors.gz";
inline constexpr const char* kModelsIndexFile = "models.json";

struct ShippedModelChoice {
  std::string path;
  bool conditioned = false;  // the conditioned file was chosen
  // No control requested and the conditioned model chosen for its NLL: it plays with
  // conditioning disabled (unless --disable_conditioning says otherwise).
  bool disable_conditioning = false;
  std::string reason;  // one sentence for the log
};

// The models folder as described above; InputError listing the places looked in.
std::string shipped_models_folder();

ShippedModelChoice choose_shipped_model(bool controls_requested);

}  // namespace prnn
