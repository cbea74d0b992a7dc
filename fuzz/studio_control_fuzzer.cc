// libFuzzer target: the studio's control message parser (src/studio/control_message.h)
// on arbitrary bytes. It must return a message or throw InputError, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "studio/control_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const prnn::ClientMessage message =
        prnn::parse_client_message(std::string_view(reinterpret_cast<const char*>(data), size));
    // Every accepted value is inside its documented range.
    if (message.temperature && !(*message.temperature >= prnn::kMinStudioTemperature &&
                                 *message.temperature <= prnn::kMaxStudioTemperature)) {
      __builtin_trap();
    }
    if (message.notes.size() > prnn::kMaxPrimerNotes) __builtin_trap();
  } catch (const prnn::InputError&) {
  }
  return 0;
}
