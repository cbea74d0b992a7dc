// `performance_rnn export --dtype=int8` end to end: the int8 file gives bit-identical logits
// under int8 kernels to the fp32 file it came from (the file's q and scales are what the
// network derives at load), loads for bf16 and fp32 kernels within the quantization step,
// and generation says where its int8 weights come from.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "../nn/kernel_paths.h"
#include "../nn/network_test_util.h"
#include "../train/train_test_util.h"
#include "model/checkpoint.h"
#include "model/generation_model.h"
#include "model/hparams.h"
#include "performance/config.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

class Int8Export : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("prnn_int8_export_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // A conditioned model (dense control inputs and one-hot events into layer 0), two
    // layers of sizes that are not multiples of 16, random weights and biases.
    const PerformanceConfig& config =
        find_performance_config("optional_multiconditioned_performance_with_dynamics");
    HParams hparams = default_hparams();
    hparams.rnn_layer_sizes = {24, 20};
    const ParamArena params = testing::random_params(
        NetworkShape{config.input_layout(), {24, 20}, config.output_heads()}, 21);
    fp32_ = (dir_ / "model.safetensors").string();
    int8_ = (dir_ / "model_int8.safetensors.gz").string();
    write_checkpoint(fp32_, make_checkpoint(std::string(config.name), hparams_to_string(hparams), 7,
                                            params, nullptr));
    const auto result =
        run("export --checkpoint=" + fp32_ + " --output=" + int8_ + " --dtype=int8");
    ASSERT_EQ(result.status, 0) << result.output;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static testing::CommandResult run(const std::string& arguments) {
    return testing::run_shell(std::string(PRNN_BINARY) + " " + arguments + " 2>&1");
  }

  fs::path dir_;
  std::string fp32_, int8_;
};

// Logits of 3 streams: 12 single steps, then a 9-step primer with every step's logits.
std::vector<float> logits_of(const GenerationModel& model, const NetworkKernels& kernels) {
  GenerationNetwork network(model.params, 3, kernels, model.int8);
  const InputLayout layout = model.config->input_layout();
  std::mt19937 rng(4);
  auto inputs = [&](int rows) {
    std::vector<int32_t> onehot(static_cast<size_t>(rows) * layout.num_groups());
    std::vector<float> dense(static_cast<size_t>(rows) * layout.dense_size);
    for (size_t i = 0; i < onehot.size(); ++i)
      onehot[i] = static_cast<int32_t>(rng() % layout.onehot_sizes[i % layout.num_groups()]);
    for (float& d : dense) d = static_cast<float>(rng() % 5) / 4.0f;
    return std::pair(onehot, dense);
  };
  std::vector<float> all;
  for (int t = 0; t < 12; ++t) {
    const auto [onehot, dense] = inputs(3);
    auto logits = network.step(3, onehot, dense);
    all.insert(all.end(), logits.begin(), logits.end());
  }
  const auto [onehot, dense] = inputs(9 * 3);
  std::vector<float> primed(static_cast<size_t>(9) * 3 * model.params.shape().num_logits());
  network.prime(3, 9, onehot, dense, primed);
  all.insert(all.end(), primed.begin(), primed.end());
  return all;
}

TEST_F(Int8Export, Int8FileGivesBitIdenticalInt8Logits) {
  const GenerationModel fp32 = load_model_file(fp32_), int8 = load_model_file(int8_);
  EXPECT_TRUE(fp32.int8.empty());
  ASSERT_EQ(int8.int8.size(), 3u);  // both LSTM kernels and the dense weights
  int paths = 0;
  for (Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kBaseline}) {
    if (!cpu_supports(isa)) continue;
    const NetworkKernels kernels{false, isa, WeightFormat::kInt8};
    const std::vector<float> a = logits_of(fp32, kernels), b = logits_of(int8, kernels);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0) << kernels.name();
    ++paths;
  }
  EXPECT_GE(paths, 1);
}

TEST_F(Int8Export, Int8FileLoadsDequantizedWithinHalfAStep) {
  const GenerationModel fp32 = load_model_file(fp32_), int8 = load_model_file(int8_);
  const ParamArena& original = fp32.params;
  for (const TensorSpec& spec : original.tensors()) {
    std::span<const float> w = original.view(spec), d = int8.params.view(spec);
    // The rows int8 generation multiplies are within half a step of their column's scale,
    // the largest magnitude / 127 (computed here, not read from the file); the one-hot and
    // control rows of layer 0 and the biases are exact.
    const int first_row = spec.name == original.lstm_kernel(0).name
                              ? original.shape().layer_input_size(0)
                          : spec.rows == 1 ? spec.rows
                                           : 0;
    for (int c = 0; c < spec.cols; ++c) {
      float largest = 0;
      for (int r = first_row; r < spec.rows; ++r)
        largest = std::max(largest, std::fabs(w[static_cast<size_t>(r) * spec.cols + c]));
      const float half_step = largest / 127.0f / 2.0f * 1.0001f;
      for (int r = 0; r < spec.rows; ++r) {
        const size_t i = static_cast<size_t>(r) * spec.cols + c;
        if (r < first_row) {
          ASSERT_EQ(d[i], w[i]) << spec.name << " " << r << " " << c;
        } else {
          ASSERT_LE(std::fabs(d[i] - w[i]), half_step) << spec.name << " " << r << " " << c;
        }
      }
    }
  }
  // fp32 and bf16 kernels run the dequantized weights: close to the original's logits.
  const std::vector<float> reference = logits_of(fp32, NetworkKernels::reference_twin());
  for (WeightFormat weights : {WeightFormat::kFp32, WeightFormat::kBf16}) {
    const std::vector<float> logits = logits_of(int8, NetworkKernels::fast(weights));
    double worst = 0;
    for (size_t i = 0; i < logits.size(); ++i)
      worst = std::max(worst, std::fabs(static_cast<double>(logits[i]) - reference[i]));
    EXPECT_LT(worst, 0.05) << weight_format_name(weights);
  }
}

// An int8 file exported again as int8 keeps its q and scales; as fp32 it is dequantized.
TEST_F(Int8Export, ReexportKeepsTheInt8FormOrDequantizes) {
  const std::string again = (dir_ / "again.safetensors").string();
  const std::string plain = (dir_ / "plain.safetensors").string();
  ASSERT_EQ(run("export --checkpoint=" + int8_ + " --output=" + again + " --dtype=int8").status, 0);
  ASSERT_EQ(run("export --checkpoint=" + int8_ + " --output=" + plain + " --dtype=fp32").status, 0);
  const Checkpoint first = read_checkpoint(int8_), second = read_checkpoint(again);
  ASSERT_EQ(second.int8.size(), first.int8.size());
  for (size_t k = 0; k < first.int8.size(); ++k) {
    EXPECT_EQ(second.int8[k].q, first.int8[k].q);
    EXPECT_EQ(second.int8[k].scale, first.int8[k].scale);
  }
  const Checkpoint dequantized = read_checkpoint(plain);
  EXPECT_TRUE(dequantized.int8.empty());
  for (const NamedTensor& weight : first.weights)
    EXPECT_EQ(dequantized.find_weight(weight.name)->values, weight.values) << weight.name;
}

// Dropping the controls removes layer 0's full-precision rows only: an int8 file exported
// without conditioning keeps its q and scales, the same as exporting the fp32 file so.
TEST_F(Int8Export, WithoutConditioningKeepsTheInt8Form) {
  const std::string from_int8 = (dir_ / "plain_from_int8.safetensors").string();
  const std::string from_fp32 = (dir_ / "plain_from_fp32.safetensors").string();
  for (const auto& [input, output] : {std::pair(int8_, from_int8), std::pair(fp32_, from_fp32)}) {
    const auto result = run("export --checkpoint=" + input + " --output=" + output +
                            " --dtype=int8 --without_conditioning");
    ASSERT_EQ(result.status, 0) << result.output;
  }
  const GenerationModel a = load_model_file(from_int8), b = load_model_file(from_fp32);
  EXPECT_EQ(a.config->name, "performance_with_dynamics");
  ASSERT_EQ(a.int8.size(), 3u);
  ASSERT_EQ(b.int8.size(), 3u);
  for (size_t k = 0; k < a.int8.size(); ++k) {
    EXPECT_EQ(a.int8[k].name, b.int8[k].name);
    EXPECT_EQ(a.int8[k].first_row, b.int8[k].first_row);
    EXPECT_EQ(a.int8[k].q, b.int8[k].q);
    EXPECT_EQ(a.int8[k].scale, b.int8[k].scale);
  }
  const auto kernel0 = std::find_if(a.int8.begin(), a.int8.end(), [&](const Int8Matrix& m) {
    return m.name == a.params.lstm_kernel(0).name;
  });
  ASSERT_NE(kernel0, a.int8.end());
  EXPECT_EQ(kernel0->first_row, a.params.shape().layer_input_size(0));
}

TEST_F(Int8Export, GenerationSaysWhereItsInt8WeightsComeFrom) {
  const std::string out = (dir_ / "out").string();
  auto generate = [&](const std::string& model) {
    return run("generate --checkpoint=" + model + " --weights=int8 --num_steps=20 --seed=1 " +
               "--output_dir=" + out + " --log=INFO");
  };
  const auto quantized = generate(fp32_);
  ASSERT_EQ(quantized.status, 0) << quantized.output;
  EXPECT_NE(quantized.output.find("INFO: " + fp32_ +
                                  " holds no int8 scales: quantizing its weights to int8 at load"),
            std::string::npos)
      << quantized.output;
  const auto stored = generate(int8_);
  ASSERT_EQ(stored.status, 0) << stored.output;
  EXPECT_NE(
      stored.output.find("INFO: int8 weights and their per-column scales as stored in " + int8_),
      std::string::npos)
      << stored.output;
  EXPECT_EQ(stored.output.find("quantizing"), std::string::npos) << stored.output;
  // Other weights say nothing about int8.
  const auto bf16 =
      run("generate --checkpoint=" + int8_ +
          " --weights=bf16 --num_steps=20 --seed=1 --output_dir=" + out + " --log=INFO");
  ASSERT_EQ(bf16.status, 0) << bf16.output;
  EXPECT_EQ(bf16.output.find("int8 scales"), std::string::npos) << bf16.output;
  EXPECT_EQ(bf16.output.find("int8 weights"), std::string::npos) << bf16.output;
}

}  // namespace
}  // namespace prnn
