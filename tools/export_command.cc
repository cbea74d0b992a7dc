// `performance_rnn export`: writes the weights of a run's checkpoint (the newest, or
// --checkpoint) without optimizer state, optionally in bf16/fp16, or int8 as int8
// generation runs them (model/int8_tensors.h: the quantized matrices in int8 with their
// per-column scales, the rest in fp32), e.g. for models/;
// --without_conditioning exports an optional-conditioning model as its unconditioned config.
#include <cstdio>

#include "base/error.h"
#include "base/flags.h"
#include "cli/command.h"
#include "model/checkpoint.h"
#include "model/config_mapping.h"
#include "model/generation_model.h"
#include "model/run_dir.h"

namespace prnn {
namespace {

int export_body(int argc, char** argv) {
  std::string run_dir, checkpoint_file, output, dtype = "bf16";
  bool drop_conditioning = false;
  FlagSet flags("performance_rnn export",
                "Exports the weights of a training checkpoint (no optimizer state).");
  flags.add("run_dir", &run_dir, "run directory: its newest RUN_DIR/train checkpoint");
  flags.add("checkpoint", &checkpoint_file, "a checkpoint file (instead of --run_dir)");
  flags.add("output", &output,
            "the file to write (.safetensors, or .safetensors.gz gzip-compressed)");
  flags.add("dtype", &dtype,
            "weight storage: fp32, bf16, fp16, or int8 (the matrices --weights=int8 runs in int8 "
            "with one scale per column, the rest fp32)");
  flags.add("without_conditioning", &drop_conditioning,
            "an optional-conditioning model as the config without controls (the disable "
            "flag's weights folded into layer 0's bias: what it plays with conditioning off)");
  if (!flags.parse(argc, argv)) return 0;
  if (output.empty()) throw UsageError("--output is required");
  if (checkpoint_file.empty() == run_dir.empty()) {
    throw UsageError("give exactly one of --run_dir and --checkpoint");
  }
  if (checkpoint_file.empty()) {
    auto latest = latest_checkpoint(run_dir + "/train");
    if (!latest) throw InputError(run_dir + "/train: no checkpoints");
    checkpoint_file = latest->path;
  }
  Checkpoint checkpoint = read_checkpoint(checkpoint_file);
  checkpoint.adam_m.clear();
  checkpoint.adam_v.clear();
  if (drop_conditioning) checkpoint = without_conditioning(checkpoint, checkpoint_file);
  TensorStorage storage = TensorStorage::kF32;
  if (dtype != "int8") {
    storage = parse_tensor_storage(dtype);
    checkpoint.int8.clear();  // an int8 file's weights, dequantized
  } else {
    // Checked against the network of its config, then (unless the file is an int8 export
    // already) quantized exactly as the network does at load (nn/int8_weights.h).
    const GenerationModel model = model_from_checkpoint(checkpoint, checkpoint_file);
    if (checkpoint.int8.empty()) checkpoint.int8 = quantize_for_int8(model.params);
  }
  write_checkpoint(output, checkpoint, storage);
  std::printf("%s: step %lld of %s, %s weights\n", output.c_str(),
              static_cast<long long>(checkpoint.global_step), checkpoint.config.c_str(),
              dtype.c_str());
  return 0;
}

int export_main(int argc, char** argv) { return run_guarded("export", export_body, argc, argv); }

}  // namespace

PRNN_COMMAND("export", "export a checkpoint's weights (bf16/fp16/int8) for shipping", export_main);

}  // namespace prnn
