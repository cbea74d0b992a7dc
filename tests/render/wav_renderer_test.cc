// The FluidSynth WAV renderer on known NoteSequences: the file's length and header, sound
// exactly where notes (or the sustain pedal) sound, silence before the first note and at the
// end of the release tail, determinism, and every bad input (clear InputError, no file left).
// Needs Debian's timgm6mb-soundfont (installed by scripts/install_deps.sh).
#include "render/wav_renderer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file.h"

namespace prnn {
namespace {

constexpr int kRate = 44100;

magenta::NoteSequence two_notes() {
  magenta::NoteSequence sequence;
  auto* a = sequence.add_notes();
  a->set_pitch(60), a->set_velocity(100), a->set_start_time(0.5), a->set_end_time(1.5);
  auto* b = sequence.add_notes();
  b->set_pitch(64), b->set_velocity(80), b->set_start_time(1.0), b->set_end_time(2.0);
  sequence.set_total_time(2.0);
  return sequence;
}

uint32_t u32(const std::string& bytes, size_t at) {
  uint32_t v;
  std::memcpy(&v, bytes.data() + at, 4);
  return v;
}

// RMS (full scale = 1) of both channels over [from, to) seconds.
double rms(const std::string& wav, double from, double to) {
  const int16_t* samples = reinterpret_cast<const int16_t*>(wav.data() + 44);
  const size_t frames = (wav.size() - 44) / 4;
  const size_t begin = static_cast<size_t>(from * kRate);
  const size_t end = std::min(frames, static_cast<size_t>(to * kRate));
  double sum = 0;
  for (size_t i = begin * 2; i < end * 2; ++i) sum += double(samples[i]) * samples[i];
  return std::sqrt(sum / std::max<size_t>(1, (end - begin) * 2)) / 32768.0;
}

TEST(WavRendererTest, LengthHeaderAndSoundWhereNotesSound) {
  WavOptions options;
  options.release_seconds = 2.0;
  const std::string wav = render_wav_bytes(two_notes(), "two notes", options);
  const size_t frames = 4 * kRate;  // music ends at 2.0 s, plus 2.0 s of release
  ASSERT_EQ(wav.size(), 44 + frames * 4);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(u32(wav, 4), wav.size() - 8);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(u32(wav, 24), static_cast<uint32_t>(kRate));
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(u32(wav, 40), frames * 4);

  EXPECT_EQ(rms(wav, 0.0, 0.49), 0.0) << "sound before the first note";
  for (double t = 0.6; t < 1.9; t += 0.1)
    EXPECT_GT(rms(wav, t, t + 0.1), 0.004) << "silent at " << t << " s while a note sounds";
  EXPECT_LT(rms(wav, 3.75, 4.0), 0.0005) << "not silent at the end of the release tail";
}

TEST(WavRendererTest, Deterministic) {
  EXPECT_EQ(render_wav_bytes(two_notes(), "a"), render_wav_bytes(two_notes(), "a"));
}

TEST(WavRendererTest, SustainPedalHoldsTheNote) {
  magenta::NoteSequence sequence;
  auto* note = sequence.add_notes();
  note->set_pitch(60), note->set_velocity(100), note->set_start_time(0.1), note->set_end_time(0.3);
  const std::string dry = render_wav_bytes(sequence, "dry");
  auto* down = sequence.add_control_changes();
  down->set_time(0.0), down->set_control_number(64), down->set_control_value(127);
  auto* up = sequence.add_control_changes();
  up->set_time(2.0), up->set_control_number(64), up->set_control_value(0);
  const std::string pedal = render_wav_bytes(sequence, "pedal");
  EXPECT_GT(rms(pedal, 1.2, 1.4), 10 * rms(dry, 1.2, 1.4));
  EXPECT_GT(rms(pedal, 1.2, 1.4), 0.002);
  EXPECT_EQ(pedal.size(), 44 + size_t(4.0 * kRate) * 4);  // the pedal's release ends the music
}

TEST(WavRendererTest, EmptySequenceIsTheReleaseTailOfSilence) {
  const std::string wav = render_wav_bytes(magenta::NoteSequence(), "empty");
  EXPECT_EQ(wav.size(), 44 + size_t(2 * kRate) * 4);
  EXPECT_EQ(rms(wav, 0, 2), 0.0);
}

void expect_error(const magenta::NoteSequence& sequence, const WavOptions& options,
                  const std::string& needle) {
  try {
    render_wav_bytes(sequence, "seq.mid", options);
    ADD_FAILURE() << "no error; expected one containing '" << needle << "'";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

TEST(WavRendererTest, BadSequencesAreErrorsNamingTheNote) {
  magenta::NoteSequence sequence = two_notes();
  sequence.mutable_notes(1)->set_pitch(128);
  expect_error(sequence, {}, "seq.mid: note 1: pitch 128 is outside 0..127");
  sequence = two_notes();
  sequence.mutable_notes(0)->set_start_time(-1);
  expect_error(sequence, {}, "seq.mid: note 0: start_time -1 is not a time >= 0");
  sequence = two_notes();
  sequence.mutable_notes(0)->set_end_time(0.1);
  expect_error(sequence, {}, "end_time 0.1 is before start_time 0.5");
  sequence = two_notes();
  sequence.mutable_notes(0)->set_end_time(NAN);
  expect_error(sequence, {}, "end_time nan is not a time");
  sequence = two_notes();
  sequence.mutable_notes(0)->set_end_time(1e9);
  expect_error(sequence, {}, "beyond the");
}

TEST(WavRendererTest, BadSoundfontsAreErrorsAndLeaveNoFile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("prnn_wav_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  WavOptions missing;
  missing.soundfont = (dir / "missing.sf2").string();
  expect_error(two_notes(), missing, "soundfont " + missing.soundfont + ": cannot open");
  WavOptions corrupt;
  corrupt.soundfont = (dir / "corrupt.sf2").string();
  write_file_atomic(corrupt.soundfont, "RIFF\x10\0\0\0sfbk this is not a soundfont");
  expect_error(two_notes(), corrupt, "soundfont " + corrupt.soundfont + ": FluidSynth cannot load");

  const std::string out = (dir / "out.wav").string();
  EXPECT_THROW(render_wav_file(two_notes(), "seq", out, corrupt), InputError);
  magenta::NoteSequence bad = two_notes();
  bad.mutable_notes(0)->set_velocity(300);
  EXPECT_THROW(render_wav_file(bad, "seq", out), InputError);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    files += entry.path() != corrupt.soundfont;
  EXPECT_EQ(files, 0) << "a partial or temporary file was left behind";
  render_wav_file(two_notes(), "seq", out);
  EXPECT_EQ(file_size(out), 44 + 4u * kRate * 4);
  std::filesystem::remove_all(dir);
}

TEST(WavRendererTest, OptionsOutOfRange) {
  WavOptions options;
  options.sample_rate = 1000;
  expect_error(two_notes(), options, "sample rate 1000");
  options = {};
  options.release_seconds = -1;
  expect_error(two_notes(), options, "release tail");
}

}  // namespace
}  // namespace prnn
