// libFuzzer target: a checkpoint file (our safetensors checkpoint, gzipped or not) as the
// one model loader reads it (model/generation_model.h: parse, config, hparams, shapes
// against the network, copy into it) must give a model or an InputError, never a crash
// or an allocation larger than what the file holds.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/error.h"
#include "base/file.h"
#include "model/checkpoint.h"
#include "model/generation_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    prnn::parse_checkpoint(bytes, "fuzz");
  } catch (const prnn::InputError&) {
  }
  static const std::string path =
      "/tmp/prnn_checkpoint_fuzz_" + std::to_string(getpid()) + ".safetensors";
  prnn::write_file_atomic(path, bytes);
  try {
    prnn::load_model_file(path);
  } catch (const prnn::InputError&) {
  }
  return 0;
}
