// The V1 checkpoint and bundle readers against real Magenta/TensorFlow files, with golden
// values from ../shared/MAGENTA_BUNDLES.md, plus adversarial corruptions.
#include "model/v1_checkpoint.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <numeric>

#include "base/crc32c.h"
#include "base/error.h"
#include "base/file.h"
#include "model/generator_bundle.h"
#include "model/ordered_code.h"
#include "../shared_data.h"

namespace prnn {
namespace {

const std::string kFixtures = test_data::shared_dir() + "/fixtures/";

double sum(const NamedTensor& t) { return std::accumulate(t.values.begin(), t.values.end(), 0.0); }

// Tensors by name, so tests can look them up.
using TensorMap = std::map<std::string, NamedTensor>;
TensorMap by_name(std::vector<NamedTensor> tensors) {
  TensorMap out;
  for (auto& t : tensors) out[t.name] = std::move(t);
  return out;
}

TensorMap read_bundle_tensors(const std::string& name) {
  auto bundle = read_generator_bundle(kFixtures + name);
  return by_name(read_v1_checkpoint(bundle.checkpoint, name));
}

TEST(OrderedCode, SignedNumbersFromTheFormatNotes) {
  struct Case {
    std::string bytes;
    int64_t value;
  };
  for (const Case& c : {Case{"\x80", 0}, Case{"\x7f", -1}, Case{"\xc1\x2c", 300},
                        Case{"\x3e\xd4", -300}, Case{"\xbf", 63}, Case{"\x40", -64}}) {
    std::string_view in = c.bytes;
    int64_t v = 12345;
    ASSERT_TRUE(ordered_code::read_signed(in, &v)) << c.value;
    EXPECT_EQ(v, c.value);
    EXPECT_TRUE(in.empty());
  }
}

TEST(OrderedCode, KeyOfATwoDimensionalFullTensor) {
  std::string key("\x00weights\x00\x01\x01\x02\x80\x7f\x80\x7f", 16);
  std::string_view in = key;
  uint64_t zero = 9, rank = 0;
  std::string name;
  ASSERT_TRUE(ordered_code::read_unsigned(in, &zero));
  ASSERT_TRUE(ordered_code::read_string(in, &name));
  ASSERT_TRUE(ordered_code::read_unsigned(in, &rank));
  EXPECT_EQ(zero, 0u);
  EXPECT_EQ(name, "weights");
  EXPECT_EQ(rank, 2u);
  int64_t start = 1, length = 0;
  ASSERT_TRUE(ordered_code::read_signed(in, &start) && ordered_code::read_signed(in, &length));
  EXPECT_EQ(start, 0);
  EXPECT_EQ(length, -1);
}

TEST(OrderedCode, EscapedStringAndTruncation) {
  std::string bytes(
      "a\x00\xff"
      "b\xff\x00\x00\x01",
      8);
  std::string_view in = bytes;
  std::string s;
  ASSERT_TRUE(ordered_code::read_string(in, &s));
  EXPECT_EQ(s, std::string("a\x00"
                           "b\xff",
                           4));
  std::string_view truncated("abc\x00", 4);
  EXPECT_FALSE(ordered_code::read_string(truncated, &s));
}

TEST(V1Checkpoint, PolyphonyBundleGoldenValues) {
  PRNN_REQUIRE_SHARED_DATA();
  auto bundle = read_generator_bundle(kFixtures + "polyphony_rnn_3x128.mag");
  EXPECT_EQ(bundle.generator_id, "polyphony");
  TensorMap t = by_name(read_v1_checkpoint(bundle.checkpoint, "polyphony_rnn_3x128.mag"));
  EXPECT_EQ(t.size(), 8u);
  const NamedTensor& biases = t.at("fully_connected/biases");
  EXPECT_EQ(biases.shape, std::vector<int64_t>{259});
  EXPECT_NEAR(sum(biases), -229.557581, 1e-5);
  EXPECT_FLOAT_EQ(biases.values[0], -1.336191f);
  const NamedTensor& kernel0 = t.at("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel");
  EXPECT_EQ(kernel0.shape, (std::vector<int64_t>{387, 512}));
  EXPECT_NEAR(sum(kernel0), -3342.754482, 1e-4);
  EXPECT_FLOAT_EQ(kernel0.values.front(), -2.032374f);
  EXPECT_FLOAT_EQ(kernel0.values.back(), -0.8524554f);
  EXPECT_NEAR(sum(t.at("rnn/multi_rnn_cell/cell_2/basic_lstm_cell/kernel")), 719.134843, 1e-4);
  EXPECT_EQ(t.at("fully_connected/weights").shape, (std::vector<int64_t>{128, 259}));
}

TEST(V1Checkpoint, ScalarsOfHalfPlusTwo) {
  PRNN_REQUIRE_SHARED_DATA();
  TensorMap t =
      by_name(read_v1_checkpoint(read_file(kFixtures + "half_plus_two_v1.ckpt"), "half_plus_two"));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.at("a").shape.empty());
  EXPECT_EQ(t.at("a").values, std::vector<float>{0.5f});
  EXPECT_EQ(t.at("b").values, std::vector<float>{2.0f});
}

TEST(V1Checkpoint, TinyWeightsAndBiasesShapes) {
  PRNN_REQUIRE_SHARED_DATA();
  TensorMap t =
      by_name(read_v1_checkpoint(read_file(kFixtures + "tiny_weights_biases_v1.ckpt"), "tiny"));
  EXPECT_EQ(t.at("biases").shape, std::vector<int64_t>{2});
  EXPECT_EQ(t.at("weights").shape, (std::vector<int64_t>{6, 2}));
  EXPECT_EQ(t.at("weights").values.size(), 12u);
}

TEST(V1Checkpoint, VocalAutoencoderFrom2016WithEmptyIndexKey) {
  PRNN_REQUIRE_SHARED_DATA();
  TensorMap t =
      by_name(read_v1_checkpoint(read_file(kFixtures + "vocal_autoencoder_2016_v1.ckpt"), "vocal"));
  size_t largest = 0;
  for (const auto& [name, tensor] : t) largest = std::max(largest, tensor.values.size());
  EXPECT_EQ(largest * 4, size_t{1} << 20);  // the 1 MiB tensor alone in its block
}

TEST(V1Checkpoint, AttentionBundleRankFourTensor) {
  PRNN_REQUIRE_SHARED_DATA();
  TensorMap t = read_bundle_tensors("attention_rnn_2x64.mag");
  const auto& attn_w = t.at("rnn/multi_rnn_cell/cell_0/attention_cell_wrapper/attention/attn_w");
  EXPECT_EQ(attn_w.shape, (std::vector<int64_t>{1, 1, 64, 64}));
  EXPECT_EQ(attn_w.values.size(), 4096u);
  EXPECT_EQ(t.at("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel").shape,
            (std::vector<int64_t>{128, 256}));
}

TEST(V1Checkpoint, TwoLayerPolyphonyBundle) {
  PRNN_REQUIRE_SHARED_DATA();
  TensorMap t = read_bundle_tensors("polyphony_rnn_2x64.mag");
  EXPECT_EQ(t.size(), 6u);
  EXPECT_EQ(t.at("rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias").shape,
            std::vector<int64_t>{256});
}

// ---- corruptions ------------------------------------------------------------------------

std::string half_plus_two() { return read_file(kFixtures + "half_plus_two_v1.ckpt"); }

void expect_input_error(const std::string& bytes, const std::string& fragment) {
  try {
    read_v1_checkpoint(bytes, "corrupt.ckpt");
    FAIL() << "no error; expected: " << fragment;
  } catch (const InputError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("corrupt.ckpt"), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(V1CheckpointCorrupt, EveryTruncationIsAnInputError) {
  PRNN_REQUIRE_SHARED_DATA();
  std::string bytes = half_plus_two();
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(read_v1_checkpoint(bytes.substr(0, n), "corrupt.ckpt"), InputError) << n;
  }
}

TEST(V1CheckpointCorrupt, FlippedByteInADataBlockFailsItsCrc) {
  PRNN_REQUIRE_SHARED_DATA();
  std::string bytes = half_plus_two();
  bytes[10] ^= 0x01;  // inside the first data block
  expect_input_error(bytes, "CRC32C");
}

TEST(V1CheckpointCorrupt, SnappyBlockIsRefusedClearly) {
  PRNN_REQUIRE_SHARED_DATA();
  std::string bytes = half_plus_two();
  // The first data block starts at 0; its size is in the index. Find its trailer by
  // scanning for the position where the stored masked CRC matches content + type byte.
  for (size_t size = 1; size + 5 <= bytes.size(); ++size) {
    uint32_t stored;
    std::memcpy(&stored, bytes.data() + size + 1, 4);
    if (bytes[size] == 0 && stored == mask_crc(crc32c(bytes.data(), size + 1))) {
      bytes[size] = 1;
      uint32_t crc = mask_crc(crc32c(bytes.data(), size + 1));
      std::memcpy(bytes.data() + size + 1, &crc, 4);
      expect_input_error(bytes, "snappy");
      return;
    }
  }
  FAIL() << "no block trailer found";
}

TEST(V1CheckpointCorrupt, NotATable) { expect_input_error(std::string(100, 'x'), "table magic"); }

TEST(V1CheckpointCorrupt, EverySingleByteFlipIsCaughtOrHarmless) {
  PRNN_REQUIRE_SHARED_DATA();
  // Fuzz-style sweep: any flip either fails with InputError or yields the same tensors
  // (e.g. a flip in footer padding); never a crash.
  std::string original = half_plus_two();
  for (size_t i = 0; i < original.size(); ++i) {
    std::string bytes = original;
    bytes[i] ^= 0x40;
    try {
      TensorMap t = by_name(read_v1_checkpoint(bytes, "corrupt.ckpt"));
      EXPECT_EQ(t.at("a").values, std::vector<float>{0.5f}) << i;
    } catch (const InputError&) {
    }
  }
}

TEST(GeneratorBundle, CorruptAndMissingFilesNameThePath) {
  try {
    read_generator_bundle("/nonexistent/model.mag");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.mag"), std::string::npos);
  }
  std::string path = testing::TempDir() + "garbage.mag";
  write_file_atomic(path, "\xff\xff\xff garbage");
  EXPECT_THROW(read_generator_bundle(path), InputError);
}

TEST(GeneratorBundle, WriteReadRoundTrip) {
  std::string path = testing::TempDir() + "roundtrip.mag";
  write_generator_bundle(path, {"performance_with_dynamics", "Performance RNN", "mine", "CKPT"});
  auto back = read_generator_bundle(path);
  EXPECT_EQ(back.generator_id, "performance_with_dynamics");
  EXPECT_EQ(back.generator_description, "Performance RNN");
  EXPECT_EQ(back.bundle_description, "mine");
  EXPECT_EQ(back.checkpoint, "CKPT");
}

}  // namespace
}  // namespace prnn
