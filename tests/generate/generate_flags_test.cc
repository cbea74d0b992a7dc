// Flag values of performance_rnn_generate: primers (goldens from note_seq's Melody, run as
// `Melody([60, -2, 62, -1, -2, 64]).to_sequence()`), control values, scale names and the
// bad values issue 5 lists.
#include <gtest/gtest.h>

#include "base/error.h"
#include "generate/control_flags.h"
#include "generate/primer.h"

namespace prnn {
namespace {

struct Note {
  int pitch;
  double start, end;
};

void expect_notes(const magenta::NoteSequence& s, const std::vector<Note>& notes, double total) {
  ASSERT_EQ(s.notes_size(), static_cast<int>(notes.size()));
  for (size_t i = 0; i < notes.size(); ++i) {
    EXPECT_EQ(s.notes(i).pitch(), notes[i].pitch);
    EXPECT_DOUBLE_EQ(s.notes(i).start_time(), notes[i].start);
    EXPECT_DOUBLE_EQ(s.notes(i).end_time(), notes[i].end);
    EXPECT_EQ(s.notes(i).velocity(), 100);
  }
  EXPECT_DOUBLE_EQ(s.total_time(), total);
}

TEST(GenerateFlags, PrimerPitchesIsAHalfSecondChord) {
  expect_notes(primer_from_pitches("[60, 64, 67]"), {{60, 0, .5}, {64, 0, .5}, {67, 0, .5}}, .5);
  EXPECT_THROW(primer_from_pitches("[60, 128]"), UsageError);
  EXPECT_THROW(primer_from_pitches("[-1]"), UsageError);
  EXPECT_THROW(primer_from_pitches("[60, x"), UsageError);
}

TEST(GenerateFlags, PrimerMelodyAsNoteSeq) {
  expect_notes(primer_from_melody("[60, -2, 62, -1, -2, 64]"),
               {{60, 0, .25}, {62, .25, .375}, {64, .625, .75}}, .75);
  expect_notes(primer_from_melody("[-2, -1, 70, -2, -2]"), {{70, .25, .625}}, .625);
  EXPECT_THROW(primer_from_melody("[60, -3]"), UsageError);
  EXPECT_THROW(primer_from_melody("[128]"), UsageError);
}

TEST(GenerateFlags, NoteDensities) {
  EXPECT_EQ(parse_note_densities("8"), std::vector<double>{8});
  EXPECT_EQ(parse_note_densities("[2, 8.5]"), (std::vector<double>{2, 8.5}));
  EXPECT_THROW(parse_note_densities("0"), UsageError);
  EXPECT_THROW(parse_note_densities("[4, -1]"), UsageError);
}

TEST(GenerateFlags, HistogramsListsAndScales) {
  auto one = parse_pitch_histograms("[1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1]");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], *scale_histogram("c_major"));
  auto two = parse_pitch_histograms("[f_major, 'd_minor']");
  ASSERT_EQ(two.size(), 2u);
  // F major: F G A Bb C D E → 5 7 9 10 0 2 4; D minor has the same pitch classes.
  PitchHistogram f{};
  for (int k : {0, 2, 4, 5, 7, 9, 10}) f[k] = 1;
  EXPECT_EQ(two[0], f);
  EXPECT_EQ(two[1], f);
  PitchHistogram whole{};
  for (int k : {0, 2, 4, 6, 8, 10}) whole[k] = 1;
  EXPECT_EQ(parse_pitch_histograms("whole_tone")[0], whole);
  EXPECT_EQ((*scale_histogram("pentatonic"))[7], 1);
  EXPECT_EQ((*scale_histogram("eb_major"))[3], 1);
  EXPECT_FALSE(scale_histogram("h_major"));
  EXPECT_THROW(parse_pitch_histograms("[1, 2, 3]"), UsageError);                   // wrong length
  EXPECT_THROW(parse_pitch_histograms("[0,0,0,0,0,0,0,0,0,0,0,0]"), UsageError);   // all zero
  EXPECT_THROW(parse_pitch_histograms("[1,0,0,0,0,0,0,0,0,0,0,-1]"), UsageError);  // negative
  EXPECT_THROW(parse_pitch_histograms("klingon"), UsageError);
}

TEST(GenerateFlags, DisableConditioning) {
  EXPECT_EQ(parse_disable_conditioning("True"), std::vector<bool>{true});
  EXPECT_EQ(parse_disable_conditioning("[False, True]"), (std::vector<bool>{false, true}));
  EXPECT_THROW(parse_disable_conditioning("1"), UsageError);
}

}  // namespace
}  // namespace prnn
