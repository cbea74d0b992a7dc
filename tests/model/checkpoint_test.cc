#include "model/checkpoint.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file.h"
#include "nn/bf16.h"

namespace prnn {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("prnn_ckpt_test_" + name)).string();
}

Checkpoint tiny_checkpoint() {
  Checkpoint c;
  c.config = "performance_with_dynamics";
  c.hparams = "batch_size=2,rnn_layer_sizes=[2]";
  c.global_step = 42;
  c.adam_step = 42;
  c.data_seed = 12345678901234ull;
  c.data_position = 99;
  c.weights = {{"rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel", {2, 3}, {1, -2, 0.5f, 3, 4, 5}},
               {"fully_connected/biases", {3}, {0.25f, -0.125f, 7}}};
  c.adam_m = {{"", {2, 3}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}}, {"", {3}, {1, 2, 3}}};
  c.adam_v = {{"", {2, 3}, {1, 1, 1, 1, 1, 2}}, {"", {3}, {4, 5, 6}}};
  return c;
}

TEST(Checkpoint, RoundTripsEverything) {
  std::string path = temp_path("roundtrip.safetensors");
  Checkpoint c = tiny_checkpoint();
  write_checkpoint(path, c);
  Checkpoint back = read_checkpoint(path);
  EXPECT_EQ(back.config, c.config);
  EXPECT_EQ(back.hparams, c.hparams);
  EXPECT_EQ(back.global_step, 42);
  EXPECT_EQ(back.adam_step, 42);
  EXPECT_EQ(back.data_seed, c.data_seed);
  EXPECT_EQ(back.data_position, 99u);
  ASSERT_EQ(back.weights.size(), 2u);
  const NamedTensor* kernel = back.find_weight(c.weights[0].name);
  ASSERT_NE(kernel, nullptr);
  EXPECT_EQ(kernel->shape, c.weights[0].shape);
  EXPECT_EQ(kernel->values, c.weights[0].values);
  ASSERT_EQ(back.adam_m.size(), 2u);
  for (size_t i = 0; i < back.weights.size(); ++i) {
    size_t original = back.weights[i].name == c.weights[0].name ? 0 : 1;
    EXPECT_EQ(back.adam_m[i].values, c.adam_m[original].values);
    EXPECT_EQ(back.adam_v[i].values, c.adam_v[original].values);
  }
  std::filesystem::remove(path);
}

// Reads the file as the published safetensors layout describes it, without our reader:
// 8-byte little-endian header size, JSON header, tensors at data_offsets after it.
TEST(Checkpoint, FollowsTheSafetensorsLayout) {
  std::string path = temp_path("layout.safetensors");
  write_checkpoint(path, tiny_checkpoint());
  std::string file = read_file(path);
  ASSERT_GE(file.size(), 8u);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(file[i]);
  ASSERT_LE(8 + n, file.size());
  EXPECT_EQ(file[8], '{');
  EXPECT_EQ((8 + n) % 8, 0u) << "data should start 8-byte aligned";
  auto header = nlohmann::json::parse(file.substr(8, n));
  EXPECT_EQ(header["__metadata__"]["format"], "prnn-checkpoint");
  EXPECT_EQ(header["__metadata__"]["global_step"], "42");
  auto entry = header["fully_connected/biases"];
  EXPECT_EQ(entry["dtype"], "F32");
  EXPECT_EQ(entry["shape"], nlohmann::json::array({3}));
  uint64_t begin = entry["data_offsets"][0];
  float values[3];
  std::memcpy(values, file.data() + 8 + n + begin, 12);
  EXPECT_EQ(values[0], 0.25f);
  EXPECT_EQ(values[2], 7.0f);
  // Offsets tile the data buffer exactly (safetensors readers check this).
  uint64_t total = 0;
  for (auto& [name, e] : header.items()) {
    if (name == "__metadata__") continue;
    total += e["data_offsets"][1].get<uint64_t>() - e["data_offsets"][0].get<uint64_t>();
  }
  EXPECT_EQ(total, file.size() - 8 - n);
  EXPECT_TRUE(header.contains("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel/Adam"));
  EXPECT_TRUE(header.contains("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel/Adam_1"));
  std::filesystem::remove(path);
}

TEST(Checkpoint, HalfPrecisionStorage) {
  // bf16 of 1 + 2^-8 is a tie and rounds to even (1.0); 1 + 3*2^-8 rounds up to 1 + 2^-6.
  EXPECT_EQ(bf16_from_float(1.0f), 0x3f80);
  EXPECT_EQ(bf16_from_float(1.0f + 1.0f / 256), 0x3f80);
  EXPECT_EQ(bf16_from_float(1.0f + 3.0f / 256), 0x3f82);
  EXPECT_EQ(bf16_to_float(0xc040), -3.0f);
  // IEEE half: 1.0 = 0x3c00, 65504 = 0x7bff (max), 2^-24 = 0x0001 (min subnormal),
  // 65520 overflows to infinity, -2 = 0xc000, 0.333251953125 = 0x3555.
  EXPECT_EQ(float_to_f16(1.0f), 0x3c00);
  EXPECT_EQ(float_to_f16(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_f16(65520.0f), 0x7c00);
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(float_to_f16(-2.0f), 0xc000);
  EXPECT_EQ(float_to_f16(1.0f / 3), 0x3555);
  EXPECT_EQ(f16_to_float(0x3555), 0.333251953125f);
  EXPECT_EQ(f16_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(f16_to_float(0xfbff), -65504.0f);

  for (TensorStorage storage : {TensorStorage::kBF16, TensorStorage::kF16}) {
    std::string path = temp_path("half.safetensors");
    Checkpoint c = tiny_checkpoint();
    c.adam_m.clear();
    c.adam_v.clear();
    write_checkpoint(path, c, storage);
    Checkpoint back = read_checkpoint(path);
    EXPECT_TRUE(back.adam_m.empty());
    const NamedTensor* kernel = back.find_weight(c.weights[0].name);
    ASSERT_NE(kernel, nullptr);
    EXPECT_EQ(kernel->values, c.weights[0].values) << "these values are exact in 16 bits";
    // 2 bytes per element: 9 elements.
    auto n = file_size(path);
    std::string file = read_file(path);
    uint64_t header = 0;
    std::memcpy(&header, file.data(), 8);
    EXPECT_EQ(n - 8 - header, 18u);
    std::filesystem::remove(path);
  }
}

NetworkShape tiny_shape(int layer) { return {{0, {3}}, {layer}, {3}}; }

TEST(Checkpoint, ArenaRoundTripWithAdamState) {
  ParamArena params(tiny_shape(2));
  glorot_uniform_init(params, 7);
  AdamOptimizer adam(params, {});
  for (size_t i = 0; i < adam.m.values.size(); ++i) {
    adam.m.values[i] = 0.5f * i;
    adam.v.values[i] = 0.25f * i;
  }
  adam.steps = 11;
  std::string path = temp_path("arena.safetensors");
  Checkpoint written = make_checkpoint("performance", "h", 11, params, &adam);
  EXPECT_EQ(written.find_weight("fully_connected/biases")->shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(written.find_weight("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel")->shape,
            (std::vector<int64_t>{5, 8}));
  write_checkpoint(path, written);
  ParamArena restored(tiny_shape(2));
  AdamOptimizer restored_adam(restored, {});
  restore_checkpoint(read_checkpoint(path), path, "performance", restored, &restored_adam);
  EXPECT_EQ(restored.values, params.values);
  EXPECT_EQ(restored_adam.m.values, adam.m.values);
  EXPECT_EQ(restored_adam.v.values, adam.v.values);
  EXPECT_EQ(restored_adam.steps, 11);
  std::filesystem::remove(path);
}

TEST(Checkpoint, RefusesAnotherConfigOrShapeNamingBoth) {
  ParamArena params(tiny_shape(2));
  Checkpoint c = make_checkpoint("performance_with_dynamics", "h", 0, params, nullptr);
  EXPECT_NO_THROW(check_checkpoint_matches(c, "ck", "performance_with_dynamics", params));
  try {
    check_checkpoint_matches(c, "ck", "performance", params);
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'performance_with_dynamics'"), std::string::npos) << m;
    EXPECT_NE(m.find("--config=performance"), std::string::npos) << m;
  }
  ParamArena wider(tiny_shape(4));
  try {
    check_checkpoint_matches(c, "ck", "performance_with_dynamics", wider);
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("[5,8]"), std::string::npos) << m;   // 3 inputs + 2 units, 4 gates x 2
    EXPECT_NE(m.find("[7,16]"), std::string::npos) << m;  // 3 inputs + 4 units, 4 gates x 4
  }
  AdamOptimizer adam(params, {});
  EXPECT_THROW(restore_checkpoint(c, "ck", "performance_with_dynamics", params, &adam), InputError)
      << "an exported model has no optimizer state to resume from";
}

TEST(Checkpoint, RejectsCorruptFilesWithAMessage) {
  std::string path = temp_path("corrupt.safetensors");
  write_checkpoint(path, tiny_checkpoint());
  std::string good = read_file(path);
  std::vector<std::string> bad = {
      "",
      good.substr(0, 5),
      good.substr(0, good.size() - 1),                                      // truncated data
      good.substr(0, 40),                                                   // truncated header
      std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8) + good.substr(8),  // huge header
  };
  std::string wrong_magic = good;
  wrong_magic.replace(wrong_magic.find("prnn-checkpoint"), 4, "xxxx");
  bad.push_back(wrong_magic);
  std::string wrong_version = good;
  wrong_version.replace(wrong_version.find("\"format_version\":\"1\""), 20,
                        "\"format_version\":\"9\"");
  bad.push_back(wrong_version);
  std::string bad_json = good;
  bad_json[9] = '!';
  bad.push_back(bad_json);
  for (size_t i = 0; i < bad.size(); ++i) {
    write_file_atomic(path, bad[i]);
    try {
      read_checkpoint(path);
      ADD_FAILURE() << "case " << i << " accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
  std::filesystem::remove(path);
}

// A ".gz" checkpoint is a standard gzip file: the system's gzip decompresses it to exactly
// the plain checkpoint, and our reader reads it back; corrupt or truncated gzip data is an
// InputError naming the file.
TEST(Checkpoint, GzipCompressedFilesAreStandardGzipAndReadBack) {
  const std::string plain = temp_path("gz_plain.safetensors");
  const std::string packed = temp_path("gz_packed.safetensors.gz");
  const std::string unpacked = temp_path("gz_unpacked.safetensors");
  write_checkpoint(plain, tiny_checkpoint(), TensorStorage::kBF16);
  write_checkpoint(packed, tiny_checkpoint(), TensorStorage::kBF16);
  ASSERT_EQ(std::system(("gzip -dc '" + packed + "' > '" + unpacked + "'").c_str()), 0);
  EXPECT_EQ(read_file(unpacked), read_file(plain));
  EXPECT_EQ(read_checkpoint(packed).weights[0].values, read_checkpoint(plain).weights[0].values);

  const std::string good = read_file(packed);
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x55;
  for (const std::string& bad : {good.substr(0, good.size() / 2), flipped}) {
    write_file_atomic(packed, bad);
    try {
      read_checkpoint(packed);
      ADD_FAILURE() << "corrupt gzip accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(packed), std::string::npos) << e.what();
    }
  }
  for (const std::string& path : {plain, packed, unpacked}) std::filesystem::remove(path);
}

}  // namespace
}  // namespace prnn
