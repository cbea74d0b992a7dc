// Window features on small sequences whose values are worked out by hand.
#include "quality/window_features.h"

#include <gtest/gtest.h>

#include <cmath>

namespace prnn {
namespace {

void add_note(magenta::NoteSequence& s, int pitch, double start, double end, int velocity = 80) {
  auto* note = s.add_notes();
  note->set_pitch(pitch);
  note->set_velocity(velocity);
  note->set_start_time(start);
  note->set_end_time(end);
  s.set_total_time(std::max(s.total_time(), end));
}

TEST(WindowFeatures, HandComputedValuesOfFourNotes) {
  // C4 and E4 0–1 s, G4 1–2 s, C5 2–7 s (cut at the 5 s maximum).
  magenta::NoteSequence s;
  add_note(s, 60, 0, 1, 60);
  add_note(s, 64, 0, 1, 80);
  add_note(s, 67, 1, 2, 100);
  add_note(s, 72, 2, 7, 100);
  std::vector<WindowFeatures> windows = window_features(s);
  ASSERT_EQ(windows.size(), 1u);
  const WindowFeatures& w = windows[0];
  EXPECT_DOUBLE_EQ(w.seconds, 7);
  EXPECT_DOUBLE_EQ(w.values[kNotesPerSecond], 4.0 / 7);
  EXPECT_DOUBLE_EQ(w.values[kPitchRange], 12);
  EXPECT_DOUBLE_EQ(w.values[kMeanPitch], 65.75);
  EXPECT_DOUBLE_EQ(w.values[kPitchClassEntropy], 1.5);  // C 1/2, E 1/4, G 1/4
  EXPECT_DOUBLE_EQ(w.values[kMeanInterOnsetInterval], 1.0);
  EXPECT_DOUBLE_EQ(w.values[kMeanNoteLength], 2.0);
  EXPECT_DOUBLE_EQ(w.values[kPolyphony], 8.0 / 7);  // 2 for 1 s, then 1 for 6 s
  EXPECT_DOUBLE_EQ(w.values[kVelocityMean], 85);
  EXPECT_DOUBLE_EQ(w.values[kVelocitySpread], std::sqrt(275.0));
  EXPECT_DOUBLE_EQ(w.values[kMaxDurationShare], 0.25);
  EXPECT_DOUBLE_EQ(w.pitch_class_seconds[0], 6);
  EXPECT_DOUBLE_EQ(w.pitch_class_seconds[4], 1);
  EXPECT_DOUBLE_EQ(w.pitch_class_seconds[7], 1);
  EXPECT_DOUBLE_EQ(w.pitch_class_seconds[1], 0);
}

TEST(WindowFeatures, SustainLengthensNotesButNotTheMaximumDurationShare) {
  magenta::NoteSequence s;
  add_note(s, 60, 0, 0.5);
  add_note(s, 65, 3.5, 4.0);
  auto* down = s.add_control_changes();
  down->set_control_number(64);
  down->set_control_value(127);
  down->set_time(0);
  auto* up = s.add_control_changes();
  up->set_control_number(64);
  up->set_control_value(0);
  up->set_time(3.0);
  const WindowFeatures w = window_features(s).at(0);
  EXPECT_DOUBLE_EQ(w.values[kMeanNoteLength], (3.0 + 0.5) / 2);
  EXPECT_DOUBLE_EQ(w.values[kMaxDurationShare], 0);
  EXPECT_DOUBLE_EQ(w.values[kPolyphony], 1.0);  // never two at once
}

TEST(WindowFeatures, ThirtySecondWindowsAndAShortTailIsDropped) {
  magenta::NoteSequence s;
  for (int t = 0; t < 71; ++t) add_note(s, 60 + t % 12, t, t + 0.5);
  std::vector<WindowFeatures> windows = window_features(s);  // ends at 70.5 s
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_DOUBLE_EQ(windows[1].start, 30);
  EXPECT_DOUBLE_EQ(windows[1].values[kNotesPerSecond], 1.0);
  EXPECT_DOUBLE_EQ(windows[2].seconds, 10.5);
  magenta::NoteSequence shorter;
  for (int t = 0; t < 65; ++t) add_note(shorter, 60, t, t + 0.5);
  EXPECT_EQ(window_features(shorter).size(), 2u) << "60–64.5 s is under 10 s";
  EXPECT_TRUE(window_features(magenta::NoteSequence()).empty());
}

TEST(WindowFeatures, OneOnsetHasNoInterOnsetInterval) {
  magenta::NoteSequence s;
  add_note(s, 60, 1, 2);
  add_note(s, 64, 1.001, 2);  // the same 10 ms step
  EXPECT_TRUE(std::isnan(window_features(s)[0].values[kMeanInterOnsetInterval]));
}

TEST(PearsonCorrelation, OfHistograms) {
  PitchHistogram major{1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1};
  PitchHistogram scaled = major;
  for (double& v : scaled) v = 3 * v + 2;
  EXPECT_NEAR(pearson_correlation(major, scaled), 1.0, 1e-12);
  PitchHistogram inverse = major;
  for (double& v : inverse) v = 1 - v;
  EXPECT_NEAR(pearson_correlation(major, inverse), -1.0, 1e-12);
  EXPECT_TRUE(std::isnan(pearson_correlation(major, default_pitch_histogram())));
}

}  // namespace
}  // namespace prnn
