// An endless stream of training examples (the trainer's data source). Implementations:
// SequenceExampleStream (example files of the dataset stage) and AugmentedExampleStream
// (NoteSequences with online augmentation). A stream is driven by one thread (the batch
// producer's); it is not thread-safe. next() throws InputError for bad outside data.
#pragma once

#include <cstdint>

#include "performance/encoder.h"

namespace prnn {

class ExampleStream {
 public:
  virtual ~ExampleStream() = default;
  // The next example, with at least one step.
  virtual void next(EncodedExample& out) = 0;
};

}  // namespace prnn
