// The examples of one extracted performance, as Magenta's pipeline makes them: one, or for
// an optional-conditioning config two (conditioning enabled, then disabled). Shared by
// create_dataset's splits and the trainer's eval examples. Each example is handed to
// `emit`, which may move from it.
#pragma once

#include <functional>

#include "performance/encoder.h"
#include "performance/extractor.h"

namespace prnn {

void encode_examples(const PerformanceEncoder& encoder, const AnyPerformance& performance,
                     const std::function<void(EncodedExample&)>& emit);

}  // namespace prnn
