// Int8 weights in model files (doc/formats/checkpoint.md, "Int8 weights"): the tensors an
// int8 file holds, read back exactly, and every corrupt scale table refused with an
// InputError naming the file and the tensor. The corrupt files are edited at the level of
// raw safetensors bytes, independently of our writer.
#include "model/int8_tensors.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file.h"
#include "model/generation_model.h"
#include "model/hparams.h"
#include "performance/config.h"

namespace prnn {
namespace {

const std::string kKernel = "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel";
const std::string kDense = "fully_connected/weights";

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("prnn_int8_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

// A performance_with_dynamics model of 4 units (kernel [388 + 4, 16], dense [4, 388]) with
// random weights, and its int8 forms.
Checkpoint int8_checkpoint() {
  const PerformanceConfig& config = find_performance_config("performance_with_dynamics");
  HParams hparams = default_hparams();
  hparams.rnn_layer_sizes = {4};
  ParamArena params(NetworkShape{config.input_layout(), {4}, config.output_heads()});
  glorot_uniform_init(params, 11);
  for (float& b : params.view(params.dense_biases())) b = 0.25f;
  Checkpoint checkpoint =
      make_checkpoint(std::string(config.name), hparams_to_string(hparams), 5, params, nullptr);
  checkpoint.int8 = quantize_for_int8(params);
  return checkpoint;
}

// A safetensors file as its parts: the metadata and each tensor's dtype, shape and bytes.
struct RawFile {
  nlohmann::json metadata;
  struct Tensor {
    std::string dtype;
    std::vector<int64_t> shape;
    std::string bytes;
  };
  std::map<std::string, Tensor> tensors;

  static RawFile read(const std::string& path) {
    const std::string file = read_file(path);
    uint64_t n;
    std::memcpy(&n, file.data(), 8);
    const nlohmann::json header = nlohmann::json::parse(file.substr(8, n));
    RawFile raw;
    for (const auto& [name, entry] : header.items()) {
      if (name == "__metadata__") {
        raw.metadata = entry;
        continue;
      }
      const uint64_t begin = entry["data_offsets"][0], end = entry["data_offsets"][1];
      raw.tensors[name] = {entry["dtype"], entry["shape"].get<std::vector<int64_t>>(),
                           file.substr(8 + n + begin, end - begin)};
    }
    return raw;
  }
  void write(const std::string& path) const {
    nlohmann::json header = {{"__metadata__", metadata}};
    std::string data;
    for (const auto& [name, t] : tensors) {
      header[name] = {{"dtype", t.dtype},
                      {"shape", t.shape},
                      {"data_offsets", {data.size(), data.size() + t.bytes.size()}}};
      data += t.bytes;
    }
    std::string text = header.dump();
    const uint64_t n = text.size();
    write_file_atomic(path, std::string(reinterpret_cast<const char*>(&n), 8) + text + data);
  }
  void set_float(const std::string& name, size_t index, float value) {
    std::memcpy(&tensors.at(name).bytes[4 * index], &value, 4);
  }
};

TEST(Int8Tensors, FileHoldsQScalesAndFullPrecisionRowsAndReadsBackExactly) {
  const Checkpoint checkpoint = int8_checkpoint();
  const std::string path = temp_path("roundtrip.safetensors");
  write_checkpoint(path, checkpoint, TensorStorage::kBF16);
  const RawFile raw = RawFile::read(path);
  std::map<std::string, std::pair<std::string, std::vector<int64_t>>> layout;
  for (const auto& [name, t] : raw.tensors) layout[name] = {t.dtype, t.shape};
  using Entry = std::pair<std::string, std::vector<int64_t>>;
  const std::map<std::string, Entry> expected = {
      {kKernel + "/full_precision_rows", {"F32", {388, 16}}},
      {kKernel + "/int8", {"I8", {4, 16}}},
      {kKernel + "/int8_scale", {"F32", {16}}},
      {"rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias", {"BF16", {16}}},
      {kDense + "/int8", {"I8", {4, 388}}},
      {kDense + "/int8_scale", {"F32", {388}}},
      {"fully_connected/biases", {"BF16", {388}}}};
  EXPECT_EQ(layout, expected);
  // The q bytes are the int8 values, row-major.
  const Int8Matrix& dense = checkpoint.int8[1];
  ASSERT_EQ(dense.name, kDense);
  const std::string& q = raw.tensors.at(kDense + "/int8").bytes;
  ASSERT_EQ(q.size(), dense.q.size());
  EXPECT_EQ(std::memcmp(q.data(), dense.q.data(), q.size()), 0);

  const Checkpoint read = read_checkpoint(path);
  ASSERT_EQ(read.int8.size(), 2u);
  for (const Int8Matrix& stored : checkpoint.int8) {
    const auto found = std::find_if(read.int8.begin(), read.int8.end(),
                                    [&](const Int8Matrix& m) { return m.name == stored.name; });
    ASSERT_NE(found, read.int8.end()) << stored.name;
    EXPECT_EQ(found->first_row, stored.first_row);
    EXPECT_EQ(found->rows, stored.rows);
    EXPECT_EQ(found->q, stored.q);
    EXPECT_EQ(found->scale, stored.scale);
    // The weight comes back dequantized; the rows before first_row exactly.
    const NamedTensor* original = checkpoint.find_weight(stored.name);
    const NamedTensor* weight = read.find_weight(stored.name);
    ASSERT_NE(weight, nullptr);
    EXPECT_EQ(weight->shape, original->shape);
    for (int r = 0; r < stored.rows; ++r) {
      for (int c = 0; c < stored.cols; ++c) {
        const size_t i = static_cast<size_t>(r) * stored.cols + c;
        ASSERT_EQ(weight->values[i],
                  r < stored.first_row ? original->values[i] : stored.dequantized(r, c))
            << stored.name << " " << r << " " << c;
      }
    }
  }
  // It loads as a model, its int8 forms kept.
  const GenerationModel model = load_model_file(path);
  EXPECT_EQ(model.int8.size(), 2u);
  std::filesystem::remove(path);
}

// Each corruption of a valid int8 file, and what the error must say besides the file.
struct Corruption {
  const char* name;
  std::function<void(RawFile&)> edit;
  std::string tensor;  // named in the message
  std::string what;    // also in the message
};

class Int8CorruptTable : public testing::TestWithParam<Corruption> {};

TEST_P(Int8CorruptTable, IsAnInputErrorNamingTheFileAndTheTensor) {
  const std::string valid = temp_path("valid.safetensors");
  write_checkpoint(valid, int8_checkpoint());
  RawFile raw = RawFile::read(valid);
  GetParam().edit(raw);
  const std::string path = temp_path(std::string(GetParam().name) + ".safetensors");
  raw.write(path);
  try {
    load_model_file(path);
    ADD_FAILURE() << "loaded a file with " << GetParam().name;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().tensor), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().what), std::string::npos) << message;
  }
  std::filesystem::remove(valid);
  std::filesystem::remove(path);
}

const std::string kDenseQ = kDense + "/int8", kDenseScale = kDense + "/int8_scale";

INSTANTIATE_TEST_SUITE_P(
    Cases, Int8CorruptTable,
    testing::Values(
        Corruption{"missing_scale", [](RawFile& f) { f.tensors.erase(kDenseScale); }, kDenseQ,
                   "scale table \"" + kDenseScale + "\" is missing"},
        Corruption{"short_scale",
                   [](RawFile& f) {
                     auto& t = f.tensors.at(kDenseScale);
                     t.shape = {387};
                     t.bytes.resize(4 * 387);
                   },
                   kDenseScale, "one scale per column, [388]"},
        Corruption{"scale_2d",
                   [](RawFile& f) {
                     f.tensors.at(kDenseScale).shape = {2, 194};
                   },
                   kDenseScale, "shape [2,194]"},
        Corruption{"nan_scale",
                   [](RawFile& f) {
                     f.set_float(kDenseScale, 5, std::numeric_limits<float>::quiet_NaN());
                   },
                   kDenseScale, "column 5 is nan"},
        Corruption{
            "infinite_scale",
            [](RawFile& f) { f.set_float(kDenseScale, 7, std::numeric_limits<float>::infinity()); },
            kDenseScale, "must be finite and > 0"},
        Corruption{"zero_scale", [](RawFile& f) { f.set_float(kDenseScale, 0, 0.0f); }, kDenseScale,
                   "column 0 is 0"},
        Corruption{"negative_scale", [](RawFile& f) { f.set_float(kDenseScale, 3, -0.5f); },
                   kDenseScale, "column 3 is -0.5"},
        Corruption{"scale_in_bf16",
                   [](RawFile& f) {
                     auto& t = f.tensors.at(kDenseScale);
                     t.dtype = "BF16";
                     t.bytes.resize(2 * 388);
                   },
                   kDenseScale, "dtype is not F32"},
        Corruption{"q_in_f32",
                   [](RawFile& f) {
                     auto& t = f.tensors.at(kDenseQ);
                     std::string bytes;
                     for (char q : t.bytes) {
                       const float v = static_cast<int8_t>(q);
                       bytes.append(reinterpret_cast<const char*>(&v), 4);
                     }
                     t.dtype = "F32";
                     t.bytes = bytes;
                   },
                   kDenseQ, "dtype is not I8"},
        Corruption{"q_1d", [](RawFile& f) { f.tensors.at(kDenseQ).shape = {4 * 388}; }, kDenseQ,
                   "is not [rows, columns]"},
        Corruption{"q_of_minus_128", [](RawFile& f) { f.tensors.at(kDenseQ).bytes[390] = '\x80'; },
                   kDenseQ, "row 1, column 2 is -128"},
        Corruption{"full_rows_wrong_width",
                   [](RawFile& f) {
                     f.tensors.at(kKernel + "/full_precision_rows").shape = {776, 8};
                   },
                   kKernel + "/full_precision_rows", "[rows, 16]"},
        Corruption{"scale_without_q", [](RawFile& f) { f.tensors.erase(kDenseQ); }, kDenseScale,
                   "there is no \"" + kDenseQ + "\""},
        Corruption{"weight_beside_q",
                   [](RawFile& f) {
                     f.tensors[kDense] = {"F32", {4, 388}, std::string(4 * 4 * 388, '\0')};
                   },
                   kDenseQ, "also holds \"" + kDense + "\""},
        Corruption{"i8_bias",
                   [](RawFile& f) {
                     f.tensors.at("fully_connected/biases") = {"I8", {388}, std::string(388, 1)};
                   },
                   "fully_connected/biases", "dtype I8 is only for"},
        Corruption{"kernel_quantized_from_row_0",
                   [](RawFile& f) {
                     // The one-hot rows in int8 too: readable, but not what int8 generation
                     // runs (it gathers those rows in fp32).
                     f.tensors.erase(kKernel + "/full_precision_rows");
                     auto& q = f.tensors.at(kKernel + "/int8");
                     q.shape = {392, 16};
                     q.bytes.insert(0, 388 * 16, '\x01');
                   },
                   kKernel, "quantized from row 0 but int8 generation quantizes it from row 388"},
        Corruption{
            "bias_in_int8",
            [](RawFile& f) {
              f.tensors.erase("fully_connected/biases");
              f.tensors["fully_connected/biases/int8"] = {"I8", {1, 388}, std::string(388, 1)};
              f.tensors["fully_connected/biases/int8_scale"] = f.tensors.at(kDenseScale);
            },
            "fully_connected/biases", "shape [1,388]"}),
    [](const testing::TestParamInfo<Corruption>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace prnn
