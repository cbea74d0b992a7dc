// Where we deliberately differ from note_seq (doc/musicxml.md), on small hand-written scores
// whose expected NoteSequence is worked out by hand from the MusicXML specification.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "music/musicxml_reader.h"

namespace prnn {
namespace {

using Key = magenta::NoteSequence::KeySignature;

// One part per body; each body is the inside of <part>.
std::string partwise(const std::vector<std::string>& part_bodies) {
  std::string list = "<part-list>";
  std::string parts;
  for (size_t i = 0; i < part_bodies.size(); ++i) {
    const std::string id = "P" + std::to_string(i + 1);
    list += "<score-part id='" + id + "'><part-name>" + id + "</part-name></score-part>";
    parts += "<part id='" + id + "'>" + part_bodies[i] + "</part>";
  }
  return "<score-partwise>" + list + "</part-list>" + parts + "</score-partwise>";
}

std::string note(const std::string& step, int octave, int duration, const std::string& extra = "",
                 const std::string& alter = "") {
  return "<note>" + extra.substr(0, extra.find("|")) + "<pitch><step>" + step + "</step>" +
         (alter.empty() ? "" : "<alter>" + alter + "</alter>") + "<octave>" +
         std::to_string(octave) + "</octave></pitch><duration>" + std::to_string(duration) +
         "</duration>" +
         (extra.find("|") == std::string::npos ? "" : extra.substr(extra.find("|") + 1)) +
         "</note>";
}

const std::string kDivisions1 = "<attributes><divisions>1</divisions></attributes>";

magenta::NoteSequence parse(const std::string& xml, MusicXmlOptions options = {}) {
  return musicxml_bytes_to_note_sequence(xml, "test.xml", options);
}

std::vector<std::tuple<int, double, double>> notes_of(const magenta::NoteSequence& sequence) {
  std::vector<std::tuple<int, double, double>> notes;
  for (const auto& n : sequence.notes())
    notes.emplace_back(n.pitch(), n.start_time(), n.end_time());
  return notes;
}

TEST(MusicXmlDeviations, TiesMergeIntoOneNote) {
  // C5 quarter tied over the barline to a C5 half, then a D5: two notes, not three.
  const auto sequence = parse(partwise(
      {"<measure number='1'>" + kDivisions1 + note("C", 5, 1, "|<tie type='start'/>") +
       "</measure><measure number='2'>" + note("C", 5, 2, "|<tie type='stop'/><type>half</type>") +
       note("D", 5, 1) + "</measure>"}));
  EXPECT_EQ(notes_of(sequence),
            (std::vector<std::tuple<int, double, double>>{{72, 0, 1.5}, {74, 1.5, 2}}));
  EXPECT_EQ(sequence.notes(0).numerator(), 3);  // quarter + half = 3/4
  EXPECT_EQ(sequence.notes(0).denominator(), 4);
}

TEST(MusicXmlDeviations, TieChainsAndChordsMergePerPitch) {
  // A tied chord C+E, continuing into a chord where only C is tied on once more.
  const auto sequence = parse(
      partwise({"<measure number='1'>" + kDivisions1 + note("C", 4, 1, "|<tie type='start'/>") +
                note("E", 4, 1, "<chord/>|<tie type='start'/>") +
                note("C", 4, 1, "|<tie type='stop'/><tie type='start'/>") +
                note("E", 4, 1, "<chord/>|<tie type='stop'/>") +
                note("C", 4, 1, "|<tie type='stop'/>") + "</measure>"}));
  EXPECT_EQ(notes_of(sequence),
            (std::vector<std::tuple<int, double, double>>{{60, 0, 1.5}, {64, 0, 1}}));
}

TEST(MusicXmlDeviations, ModesAreKept) {
  const auto key_of = [](const std::string& fifths, const std::string& mode) {
    return parse(partwise({"<measure number='1'><attributes><key><fifths>" + fifths +
                           "</fifths><mode>" + mode + "</mode></key></attributes></measure>"}))
        .key_signatures(0);
  };
  EXPECT_EQ(key_of("-3", "minor").key(), Key::C);  // three flats, minor: C minor
  EXPECT_EQ(key_of("-3", "minor").mode(), Key::MINOR);
  EXPECT_EQ(key_of("1", "minor").key(), Key::E);
  EXPECT_EQ(key_of("0", "dorian").key(), Key::D);
  EXPECT_EQ(key_of("0", "dorian").mode(), Key::DORIAN);
  EXPECT_EQ(key_of("2", "major").key(), Key::D);
  EXPECT_EQ(key_of("2", "major").mode(), Key::MAJOR);
}

TEST(MusicXmlDeviations, OctaveBelongsToTheWrittenStep) {
  const auto sequence =
      parse(partwise({"<measure number='1'>" + kDivisions1 + note("B", 4, 1, "", "1") +
                      note("C", 4, 1, "", "-1") + note("B", 3, 1, "", "2") + "</measure>"}));
  ASSERT_EQ(sequence.notes_size(), 3);
  EXPECT_EQ(sequence.notes(0).pitch(), 72);  // B#4 sounds as C5
  EXPECT_EQ(sequence.notes(1).pitch(), 59);  // Cb4 sounds as B3
  EXPECT_EQ(sequence.notes(2).pitch(), 61);  // B##3 sounds as C#4
}

TEST(MusicXmlDeviations, GraceNotesStayWhereTheyAreWrittenWithZeroLength) {
  const auto sequence = parse(partwise(
      {"<measure number='1'>" + kDivisions1 + note("C", 5, 1) +
       "<note><grace/><pitch><step>E</step><octave>5</octave></pitch><type>eighth</type></note>" +
       note("D", 5, 1) + "</measure>"}));
  EXPECT_EQ(notes_of(sequence), (std::vector<std::tuple<int, double, double>>{
                                    {72, 0, 0.5}, {76, 0.5, 0.5}, {74, 0.5, 1}}));
  EXPECT_EQ(sequence.notes(1).numerator(), 0);
}

TEST(MusicXmlDeviations, TempoIsOneMapForAllPartsAndVelocityResetsPerPart) {
  // Part 1 sets 60 qpm and dynamics 100 at the start and 120 qpm at beat 2; part 2 has no
  // marks: its notes follow the same tempo map, at the default velocity.
  const std::string part1 = "<measure number='1'>" + kDivisions1 +
                            "<direction><sound tempo='60' dynamics='100'/></direction>" +
                            note("C", 5, 1) + "<direction><sound tempo='120'/></direction>" +
                            note("D", 5, 1) + "</measure>";
  const std::string part2 =
      "<measure number='1'>" + kDivisions1 + note("C", 3, 1) + note("D", 3, 1) + "</measure>";
  const auto sequence = parse(partwise({part1, part2}));
  EXPECT_EQ(notes_of(sequence), (std::vector<std::tuple<int, double, double>>{
                                    {72, 0, 1}, {74, 1, 1.5}, {48, 0, 1}, {50, 1, 1.5}}));
  EXPECT_EQ(sequence.notes(0).velocity(), 100);
  EXPECT_EQ(sequence.notes(2).velocity(), 64);
  ASSERT_EQ(sequence.tempos_size(), 2);
  EXPECT_EQ(sequence.tempos(1).time(), 1);
  EXPECT_EQ(sequence.tempos(1).qpm(), 120);
  EXPECT_DOUBLE_EQ(sequence.total_time(), 1.5);
}

TEST(MusicXmlDeviations, DynamicsWithoutTempoSetTheVelocity) {
  const auto sequence = parse(
      partwise({"<measure number='1'>" + kDivisions1 +
                "<direction><sound dynamics='40'/></direction>" + note("C", 5, 1) + "</measure>"}));
  EXPECT_EQ(sequence.notes(0).velocity(), 40);
}

TEST(MusicXmlDeviations, LaterKeysOfATransposingPartAreConcertPitch) {
  // A B-flat clarinet (chromatic -2): written G then written D sound F then C.
  const auto sequence = parse(partwise(
      {"<measure number='1'><attributes><divisions>1</divisions><key><fifths>1</fifths></key>"
       "<transpose><chromatic>-2</chromatic></transpose></attributes>" +
       note("G", 4, 4) +
       "</measure><measure number='2'><attributes><key><fifths>2</fifths>"
       "</key></attributes>" +
       note("D", 5, 4) + "</measure>"}));
  ASSERT_EQ(sequence.key_signatures_size(), 2);
  EXPECT_EQ(sequence.key_signatures(0).key(), Key::F);
  EXPECT_EQ(sequence.key_signatures(1).key(), Key::C);
  EXPECT_EQ(sequence.key_signatures(1).time(), 2);
  EXPECT_EQ(sequence.notes(0).pitch(), 65);
}

TEST(MusicXmlRepeats, UnrollRepeatsWithVoltaEndings) {
  // | A :| then |: B |1 C :|2 D |, each a whole note at 120 qpm (2 s).
  const auto measure = [](int number, const std::string& step, const std::string& barlines) {
    return "<measure number='" + std::to_string(number) + "'>" + (number == 1 ? kDivisions1 : "") +
           barlines.substr(0, barlines.find('#')) + note(step, 4, 4) +
           barlines.substr(barlines.find('#') + 1) + "</measure>";
  };
  const std::string body =
      measure(1, "A", "#<barline location='right'><repeat direction='backward'/></barline>") +
      measure(2, "B", "<barline location='left'><repeat direction='forward'/></barline>#") +
      measure(3, "C",
              "<barline location='left'><ending number='1' type='start'/></barline>#"
              "<barline location='right'><ending number='1' type='stop'/>"
              "<repeat direction='backward'/></barline>") +
      measure(4, "D",
              "<barline location='left'><ending number='2' type='start'/></barline>#"
              "<barline location='right'><ending number='2' type='discontinue'/></barline>");
  std::vector<int> played;
  const auto unrolled = parse(partwise({body}), {.unroll_repeats = true});
  for (const auto& n : unrolled.notes()) played.push_back(n.pitch());
  EXPECT_EQ(played, (std::vector<int>{69, 69, 71, 60, 71, 62}));  // A4 A4 B4 C4 B4 D4
  EXPECT_DOUBLE_EQ(unrolled.total_time(), 12);
  EXPECT_DOUBLE_EQ(unrolled.notes(5).start_time(), 10);
  EXPECT_EQ(parse(partwise({body})).notes_size(), 4);  // as written without the option

  // times='3' plays the section three times.
  const std::string thrice =
      measure(1, "A",
              "#<barline location='right'><repeat direction='backward' times='3'/>"
              "</barline>");
  EXPECT_EQ(parse(partwise({thrice}), {.unroll_repeats = true}).notes_size(), 3);
}

TEST(MusicXmlErrors, BadInputNamesFileAndPlace) {
  const auto error_of = [](const std::string& xml) {
    try {
      parse(xml);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::string zero_divisions = error_of(partwise(
      {"<measure number='7'><attributes><divisions>0</divisions></attributes></measure>"}));
  EXPECT_NE(zero_divisions.find("test.xml: part 'P1', measure '7'"), std::string::npos)
      << zero_divisions;
  EXPECT_NE(zero_divisions.find("<divisions> '0'"), std::string::npos) << zero_divisions;
  EXPECT_NE(error_of(partwise({"<measure>" + kDivisions1 + note("C", 11, 1) + "</measure>"}))
                .find("outside the MIDI range"),
            std::string::npos);
  EXPECT_NE(error_of(partwise({"<measure>" + kDivisions1 + note("H", 4, 1) + "</measure>"}))
                .find("pitch step 'H'"),
            std::string::npos);
  EXPECT_NE(error_of(partwise({"<measure>" + kDivisions1 + note("C", 4, -1) + "</measure>"}))
                .find("<duration> '-1'"),
            std::string::npos);
  EXPECT_NE(error_of(partwise({"<measure><direction><sound tempo='fast'/></direction></measure>"}))
                .find("tempo 'fast'"),
            std::string::npos);
}

TEST(MusicXmlErrors, DeepNestingIsParsedWithoutRecursion) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  EXPECT_THROW(parse(deep), InputError);  // not well-formed: never closed
  std::string closed = deep;
  for (int i = 0; i < 200000; ++i) closed += "</a>";
  EXPECT_EQ(parse(closed).notes_size(), 0);
}

}  // namespace
}  // namespace prnn
