// Scoring against the independent numpy logits of the Magenta-layout fixture: the NLL of
// its event sequence, teacher-forced, in a batch with other performances; and the eval
// pipeline's segmenting.
#include "generate/evaluate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "model/generation_model.h"
#include "nn/param_arena.h"
#include "performance/encoder.h"

namespace prnn {
namespace {

const std::string kFixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/";

TEST(Evaluate, NllMatchesIndependentLogits) {
  GenerationModel model = load_bundle_model(kFixtures + "magenta_layout_3x8.mag");
  nlohmann::json fixture =
      nlohmann::json::parse(read_file(kFixtures + "magenta_layout_3x8_logits.json"));
  std::vector<int> events = fixture["events"].get<std::vector<int>>();
  double expected = 0;
  for (size_t t = 0; t + 1 < events.size(); ++t) {
    std::vector<double> logits = fixture["logits"][t].get<std::vector<double>>();
    double top = *std::max_element(logits.begin(), logits.end()), total = 0;
    for (double l : logits) total += std::exp(l - top);
    expected -= logits[events[t + 1]] - top - std::log(total);
  }
  Performance performance(0, 32);
  for (int c : events) performance.append(class_to_event(c));
  Performance other(0, 32);
  for (int c : {60, 300, 188, 355}) other.append(class_to_event(c));

  GenerationNetwork network(model.params, 4, NetworkKernels::reference_twin());
  PerformanceScore score = score_performances(network, *model.config, {other, performance, other});
  PerformanceScore alone = score_performances(network, *model.config, {performance});
  EXPECT_NEAR(alone.nll, expected, 1e-3);
  EXPECT_EQ(alone.events, static_cast<int64_t>(events.size() - 1));
  EXPECT_EQ(score.performances, 3);
  EXPECT_EQ(score.events, 8 + 3 + 3);
  // TS45 (class 300) and two TS100 (355) among the predicted events.
  EXPECT_DOUBLE_EQ(alone.seconds, 0.45 + 1.0);
  EXPECT_NEAR(performance_log_likelihood(network, *model.config, performance, {}), -expected, 1e-3);
}

// An optional-conditioning model scored with its controls disabled sees only the disable
// flag: the control rows of layer 0 cannot matter then, and do when enabled.
TEST(Evaluate, DisabledConditioningIgnoresTheControlRows) {
  const PerformanceConfig& config =
      find_performance_config("optional_multiconditioned_performance_with_dynamics");
  NetworkShape shape{config.input_layout(), {8, 8}, config.output_heads()};
  ParamArena params(shape);
  glorot_uniform_init(params, 5);
  ParamArena other_controls = params;
  std::span<float> kernel = other_controls.view(other_controls.lstm_kernel(0));
  const int cols = other_controls.lstm_kernel(0).cols;
  for (int i = cols; i < config.control_size() * cols; ++i) kernel[i] += 0.5f;  // rows 1..20

  Performance performance(0, 32);
  for (int c : {60, 300, 188, 64, 310, 192, 355, 67, 320}) performance.append(class_to_event(c));
  auto nll = [&](const ParamArena& weights, bool disable) {
    GenerationNetwork network(weights, 2, NetworkKernels::reference_twin());
    return score_performances(network, config, {performance}, disable).nll;
  };
  EXPECT_NEAR(nll(params, true), nll(other_controls, true), 1e-9);
  EXPECT_GT(std::abs(nll(params, false) - nll(other_controls, false)), 1e-3);
}

TEST(Evaluate, ConditioningDisabledScoresWithoutTheControls) {
  // With the disable flag set the network sees no control values, so the teacher-forced
  // NLL equals Magenta's performance_log_likelihood under any constant controls with the
  // flag set; with conditioning on, the controls of the performance itself change it.
  GenerationModel model = load_bundle_model(kFixtures + "magenta_layout_conditioned_2x8.mag");
  Performance performance(0, 32);
  for (int c : {60, 300, 188, 355, 64, 320, 192, 340, 67, 310, 195}) {
    performance.append(class_to_event(c));
  }
  GenerationNetwork network(model.params, 2, NetworkKernels::reference_twin());
  const PerformanceScore disabled =
      score_performances(network, *model.config, {performance}, /*disable_conditioning=*/true);
  const PerformanceScore enabled = score_performances(network, *model.config, {performance});
  ControlValues off;
  off.disable_conditioning = true;
  off.note_density = 3;
  EXPECT_NEAR(disabled.nll, -performance_log_likelihood(network, *model.config, performance, off),
              1e-4);
  EXPECT_GT(std::abs(enabled.nll - disabled.nll), 1e-4);
  EXPECT_EQ(enabled.events, disabled.events);
}

TEST(Evaluate, EvalStagesSplitAtThirtySecondsAndCapAt512Events) {
  magenta::NoteSequence sequence;
  for (int i = 0; i < 600; ++i) {  // 600 notes over 60 s: two 30 s segments
    auto* note = sequence.add_notes();
    note->set_pitch(60 + i % 12);
    note->set_velocity(80);
    note->set_start_time(i * 0.1);
    note->set_end_time(i * 0.1 + 0.05);
  }
  sequence.set_total_time(60);
  std::vector<AnyPerformance> performances =
      eval_performances(sequence, find_performance_config("performance_with_dynamics"));
  ASSERT_EQ(performances.size(), 2u);
  for (const AnyPerformance& p : performances) EXPECT_EQ(std::get<Performance>(p).size(), 512u);
}

}  // namespace
}  // namespace prnn
