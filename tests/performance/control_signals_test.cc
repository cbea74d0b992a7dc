// Golden cases 13-14 of doc/magenta.md §11 (performance_controls_test) and the §7 example.
#include "performance/control_signals.h"

#include <gtest/gtest.h>

#include "test_sequences.h"

namespace prnn {
namespace {

using testing::parse_events;

const char* kEvents = "ON60 ON64 ON67 TS50 OFF60 OFF64 TS25 OFF67 ON64 TS25 OFF64";

TEST(ControlSignalsGolden, Case13Density) {
  const auto densities = note_densities(parse_events(kEvents), 100, 1.0);
  EXPECT_EQ(densities, (std::vector<double>{4, 4, 4, 4, 2, 2, 2, 4, 4, 4, 0}));
  const std::vector<double> edges = {1, 5};
  EXPECT_EQ(density_class(0, edges), 0);
  EXPECT_EQ(density_class(0.5, edges), 0);
  EXPECT_EQ(density_class(1, edges), 1);
  EXPECT_EQ(density_class(2, edges), 1);
  EXPECT_EQ(density_class(5, edges), 2);
  EXPECT_EQ(density_class(10, edges), 2);
  EXPECT_EQ(density_class(1.5), 1);
  EXPECT_EQ(density_class(8), 4);
  EXPECT_EQ(density_class(64), 7);
}

TEST(ControlSignalsGolden, Case14Histogram) {
  const auto histograms = pitch_class_histograms(parse_events(kEvents), 100, 1.0, 0.0);
  ASSERT_EQ(histograms.size(), 11u);
  auto expect = [&](int i, std::vector<std::pair<int, double>> nonzero, std::vector<float> enc) {
    PitchHistogram expected{};
    for (auto [k, v] : nonzero) expected[k] = v;
    for (int k = 0; k < 12; ++k) EXPECT_DOUBLE_EQ(histograms[i][k], expected[k]) << i << " " << k;
    float encoded[12];
    normalize_histogram(histograms[i], encoded);
    for (int k = 0; k < 12; ++k) EXPECT_NEAR(encoded[k], enc[k], 1e-7) << i << " " << k;
  };
  for (int i = 0; i <= 3; ++i) {
    expect(i, {{0, .5}, {4, .75}, {7, .75}}, {.25, 0, 0, 0, .375, 0, 0, .375, 0, 0, 0, 0});
  }
  for (int i = 4; i <= 6; ++i) {
    expect(i, {{4, .25}, {7, .25}}, {0, 0, 0, 0, .5, 0, 0, .5, 0, 0, 0, 0});
  }
  for (int i = 7; i <= 9; ++i) expect(i, {{4, .25}}, {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0});
  const float uniform = 1.0f / 12;
  expect(10, {}, std::vector<float>(12, uniform));
}

TEST(ControlSignalsReference, DefaultsExample) {
  const auto events = parse_events("ON60 TS100 OFF60 ON62 TS100 OFF62");
  EXPECT_EQ(note_densities(events), (std::vector<double>{1, 1, 1, 1, 1, 0}));
  const auto histograms = pitch_class_histograms(events);
  EXPECT_DOUBLE_EQ(histograms[0][0], 1.01);
  EXPECT_DOUBLE_EQ(histograms[0][1], 0.01);
  EXPECT_DOUBLE_EQ(histograms[0][2], 1.01);
  float encoded[12];
  normalize_histogram(histograms[0], encoded);
  EXPECT_NEAR(encoded[0], .4764, 1e-4);
  EXPECT_NEAR(encoded[1], .0047, 1e-4);
}

}  // namespace
}  // namespace prnn
