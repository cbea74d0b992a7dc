// The _generate algorithm of doc/magenta.md §10: worked examples (first pass sizes), the
// fill loop computed by hand on a model that only emits TS1, controls over time.
#include "generate/performance_generator.h"

#include <gtest/gtest.h>

#include "../performance/test_sequences.h"
#include "base/error.h"

namespace prnn {
namespace {

constexpr int kTs1 = 256;  // one-hot class of TS1

ParamArena model_for(const PerformanceConfig& config, int forced_class) {
  NetworkShape shape{config.input_layout(), {16}, config.output_heads()};
  ParamArena params(shape);
  glorot_uniform_init(params, 5);
  if (forced_class >= 0) params.view(params.dense_biases())[forced_class] = 60.0f;
  return params;
}

TEST(PerformanceGenerator, EmptyPrimerFillLoopByHand) {
  const PerformanceConfig& config = find_performance_config("performance");
  ParamArena params = model_for(config, kTs1);
  GenerationNetwork network(params, 2);
  GenerateOptions options;
  options.start_time = 0;
  options.end_time = 30;  // --num_steps=3000
  options.num_outputs = 2;
  auto out = generate_performances(network, config, magenta::NoteSequence(), options);
  ASSERT_EQ(out.size(), 2u);
  // gen_start 1, total 2999, a TS100 primer; every pass asks ceil(60 · remaining / 100).
  EXPECT_EQ(out[0].passes, (std::vector<int>{1740, 696, 278, 111, 45, 18, 7, 3, 1}));
  EXPECT_EQ(out[1].passes, out[0].passes);
  EXPECT_EQ(out[0].sequence.notes_size(), 0);
}

TEST(PerformanceGenerator, ChordPrimerFirstPassAndNotes) {
  const PerformanceConfig& config = find_performance_config("performance");
  ParamArena params = model_for(config, -1);
  GenerationNetwork network(params, 1);
  GenerateOptions options;
  options.start_time = 0.5;
  options.end_time = 30;
  options.fill_generate_section = false;
  auto out = generate_performances(network, config, testing::chord_primer(), options);
  ASSERT_EQ(out[0].passes.size(), 1u);
  EXPECT_EQ(out[0].passes[0], 1770);  // primer ON60 ON64 ON67 TS50 OFF… TS1, total 3000
  const auto& notes = out[0].sequence.notes();
  int primer_notes = 0;
  for (const auto& n : notes) {
    if (n.start_time() == 0 && n.end_time() == 0.5 && n.velocity() == 100) ++primer_notes;
    EXPECT_LE(n.end_time() - n.start_time(), 5.0 + 1e-9);  // max_note_duration
  }
  EXPECT_EQ(primer_notes, 3);
  EXPECT_LE(out[0].sequence.total_time(), 30.0 + 1e-5);
}

TEST(PerformanceGenerator, SameSeedSameOutputDifferentSeedDifferent) {
  const PerformanceConfig& config = find_performance_config("performance_with_dynamics");
  ParamArena params = model_for(config, -1);
  GenerationNetwork network(params, 3);
  GenerateOptions options;
  options.start_time = 0.5;
  options.end_time = 3;
  options.num_outputs = 3;
  options.seed = 7;
  auto a = generate_performances(network, config, testing::chord_primer(), options);
  auto b = generate_performances(network, config, testing::chord_primer(), options);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(a[i].sequence.SerializeAsString(), b[i].sequence.SerializeAsString());
  }
  EXPECT_NE(a[0].sequence.SerializeAsString(), a[1].sequence.SerializeAsString());
}

TEST(PerformanceGenerator, PrimerEndingAfterTheSectionIsAnError) {
  const PerformanceConfig& config = find_performance_config("performance");
  ParamArena params = model_for(config, -1);
  GenerationNetwork network(params, 1);
  GenerateOptions options;
  options.start_time = 0.25;
  EXPECT_THROW(generate_performances(network, config, testing::chord_primer(), options),
               InputError);
}

TEST(PerformanceGenerator, ControlValuesFollowTheStepAsMagenta) {
  ControlSchedule schedule;
  schedule.notes_per_second = {1, 2, 3};
  // 3000 steps, [a, b, c]: 0–999 → a, 1000–1999 → b, 2000 and beyond → c.
  EXPECT_EQ(controls_at(schedule, 0, 3000).note_density, 1);
  EXPECT_EQ(controls_at(schedule, 999, 3000).note_density, 1);
  EXPECT_EQ(controls_at(schedule, 1000, 3000).note_density, 2);
  EXPECT_EQ(controls_at(schedule, 2000, 3000).note_density, 3);
  EXPECT_EQ(controls_at(schedule, 5000, 3000).note_density, 3);
  EXPECT_EQ(controls_at(ControlSchedule{}, 10, 3000).note_density, 15.0);
}

}  // namespace
}  // namespace prnn
