#include "performance/example_encoding.h"

namespace prnn {

void encode_examples(const PerformanceEncoder& encoder, const AnyPerformance& performance,
                     const std::function<void(EncodedExample&)>& emit) {
  EncodedExample encoded;
  if (const auto* notes = std::get_if<NotePerformance>(&performance)) {
    encoder.encode(*notes, &encoded);
    emit(encoded);
    return;
  }
  const auto& events = std::get<Performance>(performance);
  for (bool disable : {false, true}) {
    if (disable && !encoder.config().optional_conditioning) break;
    encoder.encode(events, disable, &encoded);
    emit(encoded);
  }
}

}  // namespace prnn
