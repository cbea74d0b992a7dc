// Every kernel path (instruction-set level × weight storage) against the fp32 reference
// twin, and the twin against a hand-computed one-unit LSTM.
#include "nn/generation_network.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <thread>

#include "kernel_paths.h"

namespace prnn {
namespace {

NetworkShape small_shape(int dense, std::vector<int> layers) {
  return NetworkShape{InputLayout{dense, {7, 5}}, std::move(layers), {11}};
}

TEST(GenerationNetwork, ReferenceTwinMatchesAHandComputedCell) {
  // One layer of one unit, input one-hot of 2 classes, one logit.
  NetworkShape shape{InputLayout{0, {2}}, {1}, {1}};
  ParamArena params(shape);
  auto kernel = params.view(params.lstm_kernel(0));  // rows: x0, x1, h; cols: i, j, f, o
  const float w[3][4] = {
      {0.5f, -0.3f, 0.2f, 0.1f}, {0.0f, 0.0f, 0.0f, 0.0f}, {0.7f, 0.4f, -0.6f, 0.9f}};
  for (int r = 0; r < 3; ++r)
    for (int g = 0; g < 4; ++g) kernel[r * 4 + g] = w[r][g];
  auto bias = params.view(params.lstm_bias(0));
  bias[0] = 0.1f, bias[1] = 0.2f, bias[2] = 0.3f, bias[3] = -0.1f;
  params.view(params.dense_weights())[0] = 2.0f;
  params.view(params.dense_biases())[0] = -1.0f;
  GenerationNetwork net(params, 1, NetworkKernels::reference_twin());
  std::vector<int32_t> onehot = {0};
  auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
  double c = 0, h = 0;
  for (int t = 0; t < 3; ++t) {
    double i = 0.5 + 0.7 * h + 0.1, j = -0.3 + 0.4 * h + 0.2, f = 0.2 - 0.6 * h + 0.3,
           o = 0.1 + 0.9 * h - 0.1;
    c = c * sig(f + 1.0) + sig(i) * std::tanh(j);
    h = std::tanh(c) * sig(o);
    auto logits = net.step(1, onehot, {});
    EXPECT_NEAR(logits[0], 2.0 * h - 1.0, 1e-6) << t;
  }
}

class KernelPath : public testing::TestWithParam<NetworkKernels> {
 protected:
  void SetUp() override { PRNN_SKIP_UNLESS_CPU_HAS(GetParam().isa); }
};

// fp32 weights differ from the twin only in the order of the sums; bf16 and int8 in the
// weights' (and bf16's inputs') rounding.
double logit_tolerance(const NetworkKernels& kernels) {
  return kernels.weights == WeightFormat::kFp32 ? 1e-4 : 0.03;
}

void expect_twins_agree(const NetworkKernels& kernels, const NetworkShape& shape, int streams,
                        int steps) {
  ParamArena params(shape);
  glorot_uniform_init(params, 7);
  for (float& b : params.view(params.lstm_bias(0))) b = 0.05f;
  GenerationNetwork fast(params, streams, kernels),
      slow(params, streams, NetworkKernels::reference_twin());
  const double tolerance = logit_tolerance(kernels);
  std::vector<int32_t> onehot(streams * 2);
  std::vector<float> dense(streams * shape.input.dense_size);
  for (int t = 0; t < steps; ++t) {
    for (int b = 0; b < streams; ++b) {
      onehot[2 * b] = (t * 3 + b) % 7;
      onehot[2 * b + 1] = (t + 2 * b) % 6 - 1;  // -1: the group is skipped
      for (int d = 0; d < shape.input.dense_size; ++d)
        dense[b * shape.input.dense_size + d] = 0.1f * ((t + d + b) % 4);
    }
    auto a = fast.step(streams, onehot, dense);
    auto e = slow.step(streams, onehot, dense);
    ASSERT_EQ(a.size(), e.size());
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_NEAR(a[i], e[i], tolerance) << "t=" << t << " i=" << i;
  }
  for (int l = 0; l < shape.num_layers(); ++l)
    for (int b = 0; b < streams; ++b)
      for (size_t u = 0; u < fast.hidden_state(l, b).size(); ++u)
        EXPECT_NEAR(fast.hidden_state(l, b)[u], slow.hidden_state(l, b)[u], tolerance);
}

TEST_P(KernelPath, MatchesTheTwinSingleStream) {
  expect_twins_agree(GetParam(), small_shape(3, {32, 48}), 1, 20);
}
TEST_P(KernelPath, MatchesTheTwinOddSizesAndBatches) {
  for (int streams : {2, 5, 7, 13, 40, 128})  // 128: the studio's largest batch
    expect_twins_agree(GetParam(), small_shape(streams % 2 == 0 ? 20 : 0, {20, 9, 70}), streams, 8);
}
// The full width (3 × 512, 388 logits): latency tiles over many blocks, long sums.
TEST_P(KernelPath, MatchesTheTwinAtFullSize) {
  const NetworkShape shape{InputLayout{0, {7, 5}}, {512, 512, 512}, {388}};
  expect_twins_agree(GetParam(), shape, 1, 6);
  expect_twins_agree(GetParam(), shape, 10, 3);
}

// prime() against step() T times from the same state: states, the logits of every primer
// step, and the logits of the step after. Both run the same arithmetic in the same order,
// so the documented bound is 1e-6 on every path (they agree bitwise in practice).
void expect_prime_equals_steps(const NetworkKernels& kernels, int streams, int steps) {
  const NetworkShape shape = small_shape(3, {40, 24, 33});
  ParamArena params(shape);
  glorot_uniform_init(params, 5);
  GenerationNetwork primed(params, streams, kernels), stepped(params, streams, kernels);
  std::mt19937 random(17);
  const int groups = 2, dense_size = shape.input.dense_size, vocab = shape.num_logits();
  std::vector<int32_t> onehot(static_cast<size_t>(steps) * streams * groups);
  std::vector<float> dense(static_cast<size_t>(steps) * streams * dense_size);
  for (size_t r = 0; r < onehot.size() / groups; ++r) {
    onehot[r * groups] = static_cast<int32_t>(random() % 7);
    onehot[r * groups + 1] = random() % 4 == 0 ? -1 : static_cast<int32_t>(random() % 5);
    for (int d = 0; d < dense_size; ++d)
      dense[r * dense_size + d] = random() % 3 == 0 ? 0.0f : (random() % 100) / 50.0f - 1.0f;
  }
  // A non-zero starting state: one step of other input first.
  std::vector<int32_t> first_onehot(streams * groups, 3);
  std::vector<float> first_dense(streams * dense_size, 0.5f);
  primed.step(streams, first_onehot, first_dense);
  stepped.step(streams, first_onehot, first_dense);

  std::vector<float> logits(static_cast<size_t>(steps) * streams * vocab);
  primed.prime(streams, steps, onehot, dense, logits);
  const size_t row_ints = static_cast<size_t>(streams) * groups;
  const size_t row_floats = static_cast<size_t>(streams) * dense_size;
  for (int t = 0; t < steps; ++t) {
    auto expected = stepped.step(streams, std::span(onehot).subspan(t * row_ints, row_ints),
                                 std::span(dense).subspan(t * row_floats, row_floats));
    for (size_t i = 0; i < expected.size(); ++i)
      ASSERT_NEAR(logits[t * expected.size() + i], expected[i], 1e-6) << "t=" << t << " i=" << i;
  }
  for (int l = 0; l < shape.num_layers(); ++l)
    for (int b = 0; b < streams; ++b)
      for (size_t u = 0; u < primed.hidden_state(l, b).size(); ++u) {
        ASSERT_NEAR(primed.hidden_state(l, b)[u], stepped.hidden_state(l, b)[u], 1e-6);
        ASSERT_NEAR(primed.cell_state(l, b)[u], stepped.cell_state(l, b)[u], 1e-6);
      }
  auto next = primed.step(streams, first_onehot, first_dense);
  auto expected_next = stepped.step(streams, first_onehot, first_dense);
  for (size_t i = 0; i < next.size(); ++i) EXPECT_NEAR(next[i], expected_next[i], 1e-6) << i;
}

TEST(GenerationNetwork, PrimeEqualsStepByStepReferenceTwin) {
  expect_prime_equals_steps(NetworkKernels::reference_twin(), 1, 300);  // three chunks of 128 rows
  expect_prime_equals_steps(NetworkKernels::reference_twin(), 3, 50);
}
TEST_P(KernelPath, PrimeEqualsStepByStep) {
  expect_prime_equals_steps(GetParam(), 1, 300);
  expect_prime_equals_steps(GetParam(), 7, 40);  // 18 steps per chunk; odd stream groups
}

TEST(GenerationNetwork, PrimeLastStepLogitsAndEmptyPrimer) {
  ParamArena params(small_shape(0, {16}));
  glorot_uniform_init(params, 9);
  GenerationNetwork primed(params, 2), stepped(params, 2);
  std::vector<int32_t> onehot = {1, 2, 3, 4, 5, 0, 6, 1, 0, 0, 2, 2};  // T=3, B=2, K=2
  primed.prime(2, 0, {}, {});  // nothing to feed: the state stays zero
  EXPECT_EQ(primed.hidden_state(0, 1)[0], 0.0f);
  std::vector<float> last(2 * 11);
  primed.prime(2, 3, onehot, {}, last);
  std::span<const float> expected;
  for (int t = 0; t < 3; ++t) expected = stepped.step(2, std::span(onehot).subspan(4 * t, 4), {});
  for (size_t i = 0; i < last.size(); ++i) EXPECT_NEAR(last[i], expected[i], 1e-6) << i;
}

// The automatic thread count (0) switches between one and two threads as it measures
// (ThreadChooser): through its trials the results stay those of one thread, for steps and
// for primer chunks.
TEST_P(KernelPath, AutomaticThreadsGiveTheSameResults) {
  ParamArena params(small_shape(0, {96, 80, 64}));
  glorot_uniform_init(params, 5);
  const int streams = 3, steps = 2 * ThreadChooser::kTrialOps + 8;
  GenerationNetwork one(params, streams, GetParam()), automatic(params, streams, GetParam());
  automatic.set_threads(0);
  std::vector<int32_t> onehot(2 * streams);
  for (int t = 0; t < steps; ++t) {
    for (int b = 0; b < streams; ++b) onehot[2 * b] = (t + b) % 7, onehot[2 * b + 1] = (t * b) % 5;
    auto a = one.step(streams, onehot, {});
    auto e = automatic.step(streams, onehot, {});
    for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], e[i]) << "t=" << t << " i=" << i;
  }
  std::vector<int32_t> primer(2 * streams * 50);
  for (size_t i = 0; i < primer.size(); ++i) primer[i] = static_cast<int32_t>(i % 5);
  std::vector<float> a(streams * 11), e(streams * 11);
  for (int chunk = 0; chunk < 2 * ThreadChooser::kTrialOps + 4; ++chunk) {
    one.prime(streams, 50, primer, {}, a);
    automatic.prime(streams, 50, primer, {}, e);
    ASSERT_EQ(a, e) << "primer " << chunk;
  }
}

// Two threads split every layer's unit blocks; each unit's sums are the same, so the
// logits and states equal the single-threaded ones exactly, also across a reorder (which
// refreshes the bf16 inputs from the fp32 state).
TEST_P(KernelPath, TwoThreadsGiveTheSameResults) {
  ParamArena params(small_shape(2, {96, 80, 64}));
  glorot_uniform_init(params, 4);
  for (int streams : {1, 4}) {
    GenerationNetwork one(params, streams, GetParam()), two(params, streams, GetParam());
    two.set_threads(2);
    std::vector<int32_t> onehot(2 * streams);
    std::vector<float> dense(2 * streams);
    std::vector<int> reversed(streams);
    for (int s = 0; s < streams; ++s) reversed[s] = streams - 1 - s;
    for (int t = 0; t < 12; ++t) {
      for (int b = 0; b < streams; ++b) {
        onehot[2 * b] = (t + b) % 7, onehot[2 * b + 1] = (2 * t + b) % 5;
        dense[2 * b] = 0.25f * (t % 3), dense[2 * b + 1] = b == 0 ? 0.0f : -0.5f;
      }
      if (t == 6) {
        one.reorder_streams(reversed);
        two.reorder_streams(reversed);
      }
      auto a = one.step(streams, onehot, dense);
      auto e = two.step(streams, onehot, dense);
      for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], e[i]) << "t=" << t << " i=" << i;
    }
    for (int l = 0; l < 3; ++l)
      for (int b = 0; b < streams; ++b)
        for (size_t u = 0; u < one.hidden_state(l, b).size(); ++u)
          ASSERT_EQ(one.hidden_state(l, b)[u], two.hidden_state(l, b)[u]);
  }
}

// Networks made from one GenerationWeights share its packed matrices (one copy) and step
// on different threads at once, each with its own streams; each gives what a network
// with weights of its own gives for the same inputs.
TEST_P(KernelPath, NetworksSharingWeightsStepOnTwoThreadsAsAloneOnes) {
  ParamArena params(small_shape(2, {96, 80, 64}));
  glorot_uniform_init(params, 6);
  const auto shared = std::make_shared<const GenerationWeights>(params, GetParam());
  const int streams = 3, steps = 40;
  auto run = [&](GenerationNetwork& network, int seed) {
    std::vector<float> logits;
    std::vector<int32_t> onehot(2 * streams);
    std::vector<float> dense(2 * streams);
    for (int t = 0; t < steps; ++t) {
      for (int b = 0; b < streams; ++b) {
        onehot[2 * b] = (t + b + seed) % 7, onehot[2 * b + 1] = (t * b + seed) % 5;
        dense[2 * b] = 0.25f * ((t + seed) % 3), dense[2 * b + 1] = -0.5f * b;
      }
      const auto out = network.step(streams, onehot, dense);
      logits.insert(logits.end(), out.begin(), out.end());
    }
    return logits;
  };
  GenerationNetwork first(shared, streams), second(shared, streams);
  EXPECT_EQ(first.weights().get(), second.weights().get());
  std::vector<float> first_logits, second_logits;
  std::thread other([&] { second_logits = run(second, 1); });
  first_logits = run(first, 0);
  other.join();
  for (int seed : {0, 1}) {
    GenerationNetwork alone(params, streams, GetParam());
    EXPECT_NE(alone.weights().get(), shared.get());
    EXPECT_EQ(run(alone, seed), seed == 0 ? first_logits : second_logits) << "seed " << seed;
  }
}

TEST(GenerationNetwork, CopyStreamCopiesState) {
  ParamArena params(small_shape(0, {16}));
  glorot_uniform_init(params, 3);
  GenerationNetwork net(params, 2);
  std::vector<int32_t> onehot = {1, 2, 3, 4};
  net.step(2, onehot, {});
  EXPECT_NE(net.hidden_state(0, 0)[0], net.hidden_state(0, 1)[0]);
  net.copy_stream(0, 1);
  for (int u = 0; u < 16; ++u) EXPECT_EQ(net.hidden_state(0, 0)[u], net.hidden_state(0, 1)[u]);
  net.reset_stream(0);
  EXPECT_EQ(net.cell_state(0, 0)[3], 0.0f);
}

INSTANTIATE_TEST_SUITE_P(AllPaths, KernelPath, testing::ValuesIn(all_kernel_paths()),
                         kernel_path_name);

}  // namespace
}  // namespace prnn
