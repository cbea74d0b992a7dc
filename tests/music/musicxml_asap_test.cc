// All 36 MusicXML scores of the ASAP dataset parse, and with repeats unrolled their pitches
// agree with the score MIDI (midi_score.mid) beside each, read by our MIDI reader. The MIDI
// additionally writes out ornaments (trills, mordents, turns, tremolos) that the score only
// marks, so "MIDI notes found in the score" is below 100 % where a score has many of them.
// doc/musicxml.md reports the figures this test prints.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "base/file.h"
#include "music/midi_reader.h"
#include "music/musicxml_reader.h"
#include "../shared_data.h"

namespace prnn {
namespace {

using PitchCounts = std::map<int, int>;

PitchCounts pitch_counts(const magenta::NoteSequence& sequence) {
  PitchCounts counts;
  for (const auto& note : sequence.notes()) ++counts[note.pitch()];
  return counts;
}

int total(const PitchCounts& counts) {
  return std::accumulate(counts.begin(), counts.end(), 0,
                         [](int sum, const auto& entry) { return sum + entry.second; });
}

int common(const PitchCounts& a, const PitchCounts& b) {
  int shared = 0;
  for (const auto& [pitch, count] : a) {
    const auto found = b.find(pitch);
    if (found != b.end()) shared += std::min(count, found->second);
  }
  return shared;
}

TEST(MusicXmlAsap, PitchesAgreeWithScoreMidi) {
  PRNN_REQUIRE_SHARED_DATA();
  const std::filesystem::path asap = std::filesystem::path(test_data::shared_dir()) / "data/asap";
  std::vector<std::filesystem::path> scores;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(asap)) {
    const std::string extension = entry.path().extension().string();
    if (extension == ".musicxml" || extension == ".xml") scores.push_back(entry.path());
  }
  std::sort(scores.begin(), scores.end());
  ASSERT_EQ(scores.size(), 36u);

  std::vector<double> midi_found;
  int complete_scores = 0;
  for (const auto& path : scores) {
    const std::string name = std::filesystem::relative(path.parent_path(), asap).string();
    const magenta::NoteSequence score =
        musicxml_file_to_note_sequence(path.string(), {.unroll_repeats = true});
    const std::string midi_path = (path.parent_path() / "midi_score.mid").string();
    const magenta::NoteSequence midi = midi_to_note_sequence(read_file(midi_path), midi_path);
    const PitchCounts score_pitches = pitch_counts(score);
    const PitchCounts midi_pitches = pitch_counts(midi);
    const int shared = common(score_pitches, midi_pitches);
    const double score_in_midi = static_cast<double>(shared) / total(score_pitches);
    const double midi_in_score = static_cast<double>(shared) / total(midi_pitches);
    std::printf(
        "%-40s score %5d midi %5d  score notes in midi %6.2f %%  midi notes in score %6.2f %%\n",
        name.c_str(), total(score_pitches), total(midi_pitches), 100 * score_in_midi,
        100 * midi_in_score);
    // Our MIDI reader pairs notes as pretty_midi does, which merges some unison notes the
    // score writes in two voices, so a few score notes have no MIDI twin.
    EXPECT_GE(score_in_midi, 0.93) << name;
    EXPECT_GE(midi_in_score, 0.80) << name;
    if (shared == total(midi_pitches)) ++complete_scores;
    midi_found.push_back(midi_in_score);
    if (name == "Beethoven/Piano_Sonatas/11-3") {
      // Repeats, volta endings and D.C. al Fine, no ornaments: every MIDI note is in the score.
      EXPECT_EQ(shared, total(midi_pitches));
    }
  }
  const double mean = std::accumulate(midi_found.begin(), midi_found.end(), 0.0) / 36;
  std::printf(
      "MIDIs fully in their score: %d of 36; mean share of MIDI notes in the score: %.2f %%\n",
      complete_scores, 100 * mean);
  EXPECT_GE(complete_scores, 13);  // as measured; the others have ornaments written out
  EXPECT_GE(mean, 0.97);
}

}  // namespace
}  // namespace prnn
