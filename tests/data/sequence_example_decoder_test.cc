#include "data/sequence_example_decoder.h"

#include <gtest/gtest.h>

#include "base/error.h"
#include "proto/tf_example.pb.h"

namespace prnn {
namespace {

// A SequenceExample as Magenta's make_sequence_example writes it: feature_lists
// "inputs" (FloatList per step) and "labels" (Int64List per step).
std::string make_example(const std::vector<std::vector<float>>& inputs,
                         const std::vector<int64_t>& labels) {
  tensorflow::SequenceExample example;
  auto& lists = *example.mutable_feature_lists()->mutable_feature_list();
  for (const auto& step : inputs) {
    auto* values = lists["inputs"].add_feature()->mutable_float_list();
    for (float v : step) values->add_value(v);
  }
  for (int64_t label : labels)
    lists["labels"].add_feature()->mutable_int64_list()->add_value(label);
  return example.SerializeAsString();
}

std::vector<float> one_hot(int size, int index) {
  std::vector<float> v(size, 0.0f);
  v[index] = 1.0f;
  return v;
}

TEST(SequenceExampleDecoder, OneHotLayoutOfPerformanceWithDynamics) {
  const PerformanceConfig& config = find_performance_config("performance_with_dynamics");
  SequenceExampleDecoder decoder(config);
  EncodedExample out;
  decoder.decode(make_example({one_hot(388, 60), one_hot(388, 355)}, {355, 188}), "f", out);
  EXPECT_EQ(out.num_steps, 2);
  EXPECT_EQ(out.onehot, (std::vector<int32_t>{60, 355}));
  EXPECT_EQ(out.labels, (std::vector<int64_t>{355, 188}));
  EXPECT_TRUE(out.dense.empty());
}

TEST(SequenceExampleDecoder, CompactLayoutOfTheMulticonditionedConfig) {
  // 20 control floats (density one-hot 8 + histogram 12) then the event index.
  const PerformanceConfig& config =
      find_performance_config("multiconditioned_performance_with_dynamics");
  SequenceExampleDecoder decoder(config);
  std::vector<float> step(21, 0.0f);
  step[3] = 1.0f;
  step[8] = 0.5f;
  step[20] = 300.0f;
  EncodedExample out;
  decoder.decode(make_example({step}, {7}), "f", out);
  EXPECT_EQ(out.onehot, (std::vector<int32_t>{300}));
  ASSERT_EQ(out.dense.size(), 20u);
  EXPECT_EQ(out.dense[3], 1.0f);
  EXPECT_EQ(out.dense[8], 0.5f);
}

TEST(SequenceExampleDecoder, SizeMismatchNamesBothSizesAndTheConfig) {
  const PerformanceConfig& config = find_performance_config("performance_with_dynamics");
  SequenceExampleDecoder decoder(config);
  EncodedExample out;
  try {
    decoder.decode(make_example({one_hot(356, 1)}, {1}), "train.tfrecord: record 0", out);
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("train.tfrecord: record 0"), std::string::npos) << m;
    EXPECT_NE(m.find("356"), std::string::npos) << m;
    EXPECT_NE(m.find("388"), std::string::npos) << m;
    EXPECT_NE(m.find("performance_with_dynamics"), std::string::npos) << m;
  }
}

TEST(SequenceExampleDecoder, RejectsMalformedExamples) {
  const PerformanceConfig& config = find_performance_config("performance_with_dynamics");
  SequenceExampleDecoder decoder(config);
  EncodedExample out;
  std::vector<float> two_hot = one_hot(388, 1);
  two_hot[2] = 1.0f;
  std::vector<std::string> bad = {
      "\xff\xff garbage",
      make_example({one_hot(388, 1)}, {}),     // labels missing a step
      make_example({two_hot}, {1}),            // not one-hot
      make_example({one_hot(388, 1)}, {388}),  // label out of range
      make_example({{400.0f}}, {1}),           // compact index out of range
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_THROW(decoder.decode(bad[i], "f", out), InputError) << i;
  }
}

}  // namespace
}  // namespace prnn
