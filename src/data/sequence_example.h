// Serialization of training examples as tensorflow.SequenceExample bytes, written
// directly in protobuf wire format (no per-step message objects): feature_lists
// {"inputs": T FloatList features of `input_width` floats, "labels": T Int64List
// features of `label_width` values}, no context — the layout Magenta's
// make_sequence_example produces and its reader parses. Map entries are written in
// key order ("inputs", "labels"), as deterministic protobuf serialization does.
//
// Pure functions; thread-safe. REQUIRES: spans hold T·width values, labels >= 0.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace prnn {

// Appends the serialized SequenceExample to *out.
void append_sequence_example(std::span<const float> inputs, int input_width,
                             std::span<const int64_t> labels, int label_width, std::string* out);

// Appends the SequenceExample framed as one TFRecord record (length, masked CRCs).
void append_sequence_example_record(std::span<const float> inputs, int input_width,
                                    std::span<const int64_t> labels, int label_width,
                                    std::string* out);

}  // namespace prnn
