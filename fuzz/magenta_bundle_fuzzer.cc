// libFuzzer target: a .mag file as generation loads it (GeneratorBundle, then the checkpoint
// inside, then the shapes against the config) must give a model or an InputError.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/error.h"
#include "base/file.h"
#include "model/generation_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/prnn_bundle_fuzz_" + std::to_string(getpid()) + ".mag";
  prnn::write_file_atomic(path, std::string(reinterpret_cast<const char*>(data), size));
  try {
    prnn::load_bundle_model(path);
  } catch (const prnn::InputError&) {
  }
  return 0;
}
