// --control_midi: controls taken from a reference performance, second by second, with the
// values worked out by hand from the training windows (3 s density, 5 s histogram), and a
// generate run with it equal to one given the same schedule as explicit flags.
#include "generate/control_midi.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "base/error.h"
#include "base/file.h"
#include "generate/generate_job.h"
#include "music/midi_reader.h"
#include "music/midi_writer.h"

namespace prnn {
namespace {

const std::string kFixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/";

void add_note(magenta::NoteSequence& s, int pitch, double start, double end) {
  auto* note = s.add_notes();
  note->set_pitch(pitch);
  note->set_velocity(80);
  note->set_start_time(start);
  note->set_end_time(end);
  s.set_total_time(std::max(s.total_time(), end));
}

// 0–10 s: C4 twice a second, 0.25 s each; 10–20 s: G4 eight times a second, 0.1 s each.
magenta::NoteSequence two_part_reference() {
  magenta::NoteSequence s;
  s.set_ticks_per_quarter(220);
  for (int i = 0; i < 20; ++i) add_note(s, 60, i * 0.5, i * 0.5 + 0.25);
  for (int i = 0; i < 80; ++i) add_note(s, 67, 10 + i * 0.125, 10 + i * 0.125 + 0.1);
  return s;
}

double normalized(const PitchHistogram& h, int pitch_class) {
  float out[kPitchClasses];
  normalize_histogram(h, out);
  return out[pitch_class];
}

TEST(ControlMidi, DensityAndHistogramFollowTheReferenceSecondBySecond) {
  ControlSchedule s = controls_from_performance(two_part_reference(), 20, "two_part");
  ASSERT_EQ(s.notes_per_second.size(), 20u);
  ASSERT_EQ(s.pitch_class_histograms.size(), 20u);
  ASSERT_EQ(s.disable_conditioning, std::vector<bool>{false});
  // Second 0..6: six C onsets in each 3 s window.
  for (int k = 0; k <= 6; ++k) EXPECT_DOUBLE_EQ(s.notes_per_second[k], 2.0) << k;
  // Second 8: window 8–11 s holds C at 8, 8.5, 9, 9.5 and G at 10, 10.125, …, 10.875.
  EXPECT_DOUBLE_EQ(s.notes_per_second[8], (4 + 8) / 3.0);
  for (int k = 10; k <= 16; ++k) EXPECT_DOUBLE_EQ(s.notes_per_second[k], 8.0) << k;
  // Second 2: 5 s window of C only: 10 notes × 0.25 s held, plus the 0.01 prior per class.
  EXPECT_NEAR(s.pitch_class_histograms[2][0], 2.5 + 0.01, 1e-9);
  EXPECT_NEAR(s.pitch_class_histograms[2][7], 0.01, 1e-9);
  // Second 12: G only, 40 notes × 0.1 s.
  EXPECT_NEAR(s.pitch_class_histograms[12][7], 4.0 + 0.01, 1e-9);
  EXPECT_NEAR(normalized(s.pitch_class_histograms[12], 7), 4.01 / (4.01 + 11 * 0.01), 1e-6);
  // Second 8: C 8–10 s (4 × 0.25) and G 10–13 s (24 × 0.1).
  EXPECT_NEAR(s.pitch_class_histograms[8][0], 1.0 + 0.01, 1e-9);
  EXPECT_NEAR(s.pitch_class_histograms[8][7], 2.4 + 0.01, 1e-9);
}

TEST(ControlMidi, AShortReferenceRepeatsFromItsStart) {
  ControlSchedule s = controls_from_performance(two_part_reference(), 45.5, "two_part");
  ASSERT_EQ(s.notes_per_second.size(), 46u);      // 45.5 s: 46 one-second segments
  EXPECT_DOUBLE_EQ(s.notes_per_second[22], 2.0);  // 22 s → reference 2 s
  EXPECT_DOUBLE_EQ(s.notes_per_second[33], 8.0);  // 33 s → reference 13 s
  EXPECT_EQ(s.pitch_class_histograms[42], s.pitch_class_histograms[2]);
}

TEST(ControlMidi, SustainLengthensTheHeldTime) {
  magenta::NoteSequence s = two_part_reference();
  auto* pedal_down = s.add_control_changes();
  pedal_down->set_control_number(64);
  pedal_down->set_control_value(127);
  pedal_down->set_time(0.0);
  auto* pedal_up = s.add_control_changes();
  pedal_up->set_control_number(64);
  pedal_up->set_control_value(0);
  pedal_up->set_time(4.9);
  // Sustained C4 notes last until the next C4 onset (0.5 s) up to the pedal release.
  ControlSchedule sustained = controls_from_performance(s, 5, "pedal");
  EXPECT_GT(sustained.pitch_class_histograms[0][0], 4.0);
}

TEST(ControlMidi, AReferenceWithoutNotesIsAnError) {
  magenta::NoteSequence empty;
  try {
    controls_from_performance(empty, 30, "silence.mid");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("silence.mid"), std::string::npos) << e.what();
  }
}

std::string fresh_dir(const std::string& name) {
  std::string dir = testing::TempDir() + "control_midi_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string literal(const std::vector<double>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    char text[40];
    std::snprintf(text, sizeof text, "%s%.17g", i ? ", " : "", values[i]);
    out += text;
  }
  return out + "]";
}

TEST(ControlMidi, GenerateWithControlMidiEqualsTheSameScheduleGivenAsFlags) {
  const std::string dir = fresh_dir("generate");
  const std::string reference = dir + "/reference.mid";
  note_sequence_to_midi_file(two_part_reference(), reference);
  GenerateJob job;
  job.bundle_file = kFixtures + "magenta_layout_conditioned_2x8.mag";
  job.num_outputs = 2;
  job.num_steps = 1200;
  job.seed = 5;
  job.control_midi = reference;
  job.output_dir = dir + "/from_midi";
  std::vector<std::string> from_midi = run_generate_job(job);

  // The schedule, as flags: computed from the MIDI file as written (times in ticks).
  ControlSchedule s = controls_from_performance(
      midi_to_note_sequence(read_file(reference), reference), 12, reference);
  GenerateJob flags = job;
  flags.control_midi.clear();
  flags.notes_per_second = literal(s.notes_per_second);
  std::string histograms = "[";
  for (size_t i = 0; i < s.pitch_class_histograms.size(); ++i) {
    const PitchHistogram& h = s.pitch_class_histograms[i];
    histograms += (i ? ", " : "") + literal(std::vector<double>(h.begin(), h.end()));
  }
  flags.pitch_class_histogram = histograms + "]";
  flags.output_dir = dir + "/from_flags";
  std::vector<std::string> from_flags = run_generate_job(flags);
  ASSERT_EQ(from_midi.size(), 2u);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(read_file(from_midi[i]), read_file(from_flags[i]));

  // A different reference conditions differently (the controls reach the network).
  magenta::NoteSequence other;
  for (int i = 0; i < 60; ++i) add_note(other, 61 + i % 3, i * 0.2, i * 0.2 + 0.15);
  note_sequence_to_midi_file(other, dir + "/other.mid");
  GenerateJob changed = job;
  changed.control_midi = dir + "/other.mid";
  changed.output_dir = dir + "/other";
  EXPECT_NE(read_file(run_generate_job(changed)[0]), read_file(from_midi[0]));
}

TEST(ControlMidi, ExcludesExplicitDensityAndHistogramFlags) {
  GenerateJob job;
  job.bundle_file = kFixtures + "magenta_layout_conditioned_2x8.mag";
  job.control_midi = "x.mid";
  job.notes_per_second = "4";
  EXPECT_THROW(run_generate_job(job), UsageError);
}

TEST(ControlMidi, OnAnUnconditionedModelItWarnsNamingTheModelAndIsIgnored) {
  const std::string dir = fresh_dir("plain");
  note_sequence_to_midi_file(two_part_reference(), dir + "/reference.mid");
  GenerateJob job;
  job.bundle_file = kFixtures + "magenta_layout_3x8.mag";
  job.num_outputs = 1;
  job.num_steps = 300;
  job.seed = 1;
  job.output_dir = dir + "/a";
  GenerateJob with_midi = job;
  with_midi.control_midi = dir + "/reference.mid";
  with_midi.output_dir = dir + "/b";
  testing::internal::CaptureStderr();
  std::vector<std::string> b = run_generate_job(with_midi);
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("does not condition on it"), std::string::npos) << log;
  EXPECT_NE(log.find("magenta_layout_3x8.mag"), std::string::npos) << log;
  EXPECT_EQ(read_file(run_generate_job(job)[0]), read_file(b[0]));
}

}  // namespace
}  // namespace prnn
