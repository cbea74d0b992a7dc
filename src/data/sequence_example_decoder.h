// Decodes one serialized tensorflow.SequenceExample of the dataset stage into an
// EncodedExample for a config. Both file layouts are accepted, told apart by the width
// of each step's "inputs" FloatList (doc/formats/sequence_examples.md):
//   compact: config.compact_input_size() floats = dense values, then one class index per
//            one-hot group (as a float);
//   one-hot: config.magenta_input_size() floats = Magenta's full input vector.
// "labels" holds config.num_heads() int64 per step. A step count of 0 is allowed (the
// caller skips such examples).
//
// Any mismatch (not a SequenceExample, missing feature lists, an input width that fits
// neither layout, a one-hot group that is not one-hot, an index or label out of range,
// inputs and labels of different lengths) throws InputError whose message starts with
// `where` (e.g. "train.tfrecord: record 12 (byte offset 3456)") and names both sizes.
// Stateless apart from the config reference; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "performance/config.h"
#include "performance/encoder.h"

namespace prnn {

class SequenceExampleDecoder {
 public:
  explicit SequenceExampleDecoder(const PerformanceConfig& config);

  void decode(std::string_view serialized, const std::string& where, EncodedExample& out) const;

 private:
  const PerformanceConfig& config_;
  InputLayout layout_;
  std::vector<int> heads_;
  int compact_size_;
  int magenta_size_;
};

}  // namespace prnn
