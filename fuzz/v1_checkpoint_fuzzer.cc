// libFuzzer target: the TensorFlow V1 checkpoint reader must turn any input into tensors
// or an InputError, never a crash or an allocation larger than the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "model/v1_checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    prnn::read_v1_checkpoint(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const prnn::InputError&) {
  }
  return 0;
}
