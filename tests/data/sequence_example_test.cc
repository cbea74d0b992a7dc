// The hand-written SequenceExample serializer against protobuf's own deterministic
// serialization of the same message, and its TFRecord framing.
#include "data/sequence_example.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <cstring>

#include "base/tfrecord.h"
#include "proto/tf_example.pb.h"

namespace prnn {
namespace {

std::string protobuf_bytes(const std::vector<float>& inputs, int input_width,
                           const std::vector<int64_t>& labels, int label_width) {
  tensorflow::SequenceExample example;
  auto& lists = *example.mutable_feature_lists()->mutable_feature_list();
  auto& input_list = lists["inputs"];
  auto& label_list = lists["labels"];
  for (size_t t = 0; t < inputs.size() / input_width; ++t) {
    auto* floats = input_list.add_feature()->mutable_float_list();
    for (int i = 0; i < input_width; ++i) floats->add_value(inputs[t * input_width + i]);
    auto* ints = label_list.add_feature()->mutable_int64_list();
    for (int k = 0; k < label_width; ++k) ints->add_value(labels[t * label_width + k]);
  }
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  example.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

TEST(SequenceExample, MatchesProtobufDeterministicSerialization) {
  for (auto [width, heads] : std::vector<std::pair<int, int>>{{1, 1}, {409, 1}, {6, 6}}) {
    std::vector<float> inputs;
    std::vector<int64_t> labels;
    for (int t = 0; t < 300; ++t) {
      for (int i = 0; i < width; ++i) inputs.push_back(static_cast<float>((t * 31 + i) % 97) / 7);
      for (int k = 0; k < heads; ++k) labels.push_back((t * 131 + k * 17) % 388);
    }
    std::string ours;
    append_sequence_example(inputs, width, labels, heads, &ours);
    EXPECT_EQ(ours, protobuf_bytes(inputs, width, labels, heads)) << width;
    std::string record;
    append_sequence_example_record(inputs, width, labels, heads, &record);
    EXPECT_EQ(record, frame_tfrecord(ours));
  }
}

TEST(SequenceExample, EmptyExampleParses) {
  std::string ours;
  append_sequence_example({}, 1, {}, 1, &ours);
  tensorflow::SequenceExample parsed;
  ASSERT_TRUE(parsed.ParseFromString(ours));
  EXPECT_EQ(parsed.feature_lists().feature_list().at("inputs").feature_size(), 0);
}

}  // namespace
}  // namespace prnn
