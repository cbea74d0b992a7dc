// Golden cases 15-29 of doc/magenta.md §11 (sequences_lib_test, note_sequence_pipelines_test,
// performance_pipeline_test).
#include "music/sequences.h"

#include <gtest/gtest.h>

#include "../performance/test_sequences.h"
#include "performance/extractor.h"

namespace prnn {
namespace {

using magenta::NoteSequence;
using testing::add_notes;
using testing::TestNote;

struct Span {
  int pitch;
  double start, end;
};

void expect_notes(const NoteSequence& s, std::vector<Span> expected) {
  ASSERT_EQ(s.notes_size(), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.notes(i).pitch(), expected[i].pitch) << i;
    EXPECT_NEAR(s.notes(i).start_time(), expected[i].start, 1e-9) << i;
    EXPECT_NEAR(s.notes(i).end_time(), expected[i].end, 1e-9) << i;
  }
}

// 4/4 at 60 qpm with the notes of sequences_lib_test.
NoteSequence case15_sequence() {
  NoteSequence s;
  auto* ts = s.add_time_signatures();
  ts->set_numerator(4);
  ts->set_denominator(4);
  s.add_tempos()->set_qpm(60);
  add_notes(&s, {{12, 100, 0.01, 10.0},
                 {11, 55, 0.22, 0.50},
                 {40, 45, 2.50, 3.50},
                 {55, 120, 4.0, 4.01},
                 {52, 99, 4.75, 5.0}});
  return s;
}

void add_chord(NoteSequence* s, const std::string& text, double time) {
  auto* a = s->add_text_annotations();
  a->set_text(text);
  a->set_time(time);
  a->set_annotation_type(NoteSequence::TextAnnotation::CHORD_SYMBOL);
}

void add_cc(NoteSequence* s, double time, int value, int instrument = 0, int number = 64) {
  auto* cc = s->add_control_changes();
  cc->set_time(time);
  cc->set_control_number(number);
  cc->set_control_value(value);
  cc->set_instrument(instrument);
}

TEST(SequencesGolden, Case15Quantize) {
  NoteSequence s = case15_sequence();
  add_chord(&s, "B7", 0.22);
  add_chord(&s, "Em9", 4.0);
  add_cc(&s, 2.0, 1, 0, 1);
  add_cc(&s, 2.0, 127, 0, 64);
  const NoteSequence q = quantize_note_sequence_absolute(s, 4);
  const std::vector<std::pair<int, int>> steps = {{0, 40}, {1, 2}, {10, 14}, {16, 17}, {19, 20}};
  ASSERT_EQ(q.notes_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(q.notes(i).quantized_start_step(), steps[i].first) << i;
    EXPECT_EQ(q.notes(i).quantized_end_step(), steps[i].second) << i;
  }
  EXPECT_EQ(q.text_annotations(0).quantized_step(), 1);
  EXPECT_EQ(q.text_annotations(1).quantized_step(), 16);
  EXPECT_EQ(q.control_changes(0).quantized_step(), 8);
  EXPECT_EQ(q.control_changes(1).quantized_step(), 8);
  EXPECT_EQ(q.quantization_info().steps_per_second(), 4);
  EXPECT_EQ(q.total_quantized_steps(), 40);
  EXPECT_TRUE(is_quantized(q));
  EXPECT_THROW(quantize_note_sequence_absolute(q, 4), InputError);
}

TEST(SequencesGolden, Case16QuantizeToStep) {
  EXPECT_EQ(quantize_to_step(8.0001, 4), 32);
  EXPECT_EQ(quantize_to_step(8.4999, 4), 34);
  EXPECT_EQ(quantize_to_step(8.4999, 4, 1.0), 33);
  EXPECT_EQ(quantize_to_step(-0.004, 100), 0);
  EXPECT_EQ(quantize_to_step(0.0, 100, 0.0), 1);
  EXPECT_EQ(quantize_to_step(2.0, 100, 0.0), 201);
  EXPECT_THROW(quantize_to_step(1e300, 100), InputError);
}

TEST(SequencesGolden, Case17Rounding) {
  NoteSequence s;
  add_notes(&s, {{12, 100, 0.01, 0.24},
                 {11, 100, 0.22, 0.55},
                 {40, 100, 0.50, 0.75},
                 {41, 100, 0.689, 1.18},
                 {44, 100, 1.19, 1.69},
                 {55, 100, 4.0, 4.01}});
  const NoteSequence q = quantize_note_sequence_absolute(s, 4);
  const std::vector<std::pair<int, int>> steps = {{0, 1}, {1, 2}, {2, 3}, {3, 5}, {5, 7}, {16, 17}};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(q.notes(i).quantized_start_step(), steps[i].first) << i;
    EXPECT_EQ(q.notes(i).quantized_end_step(), steps[i].second) << i;
  }
}

TEST(SequencesGolden, NegativeTimeIsRejected) {
  NoteSequence s;
  add_notes(&s, {{60, 100, -1.0, 0.5}});
  EXPECT_THROW(quantize_note_sequence_absolute(s, 100), NegativeTimeError);
}

TEST(SequencesGolden, Case18Stretch) {
  NoteSequence s;
  s.add_tempos()->set_qpm(60);
  add_notes(&s, {{12, 100, 0.0, 10.0}, {11, 55, 0.2, 0.5}, {40, 45, 2.5, 3.5}});
  add_chord(&s, "B7", 0.5);
  add_chord(&s, "Em9", 2.0);
  const NoteSequence t = stretch_note_sequence(s, 1.5);
  expect_notes(t, {{12, 0, 15}, {11, .3, .75}, {40, 3.75, 5.25}});
  EXPECT_DOUBLE_EQ(t.text_annotations(0).time(), 0.75);
  EXPECT_DOUBLE_EQ(t.text_annotations(1).time(), 3.0);
  EXPECT_DOUBLE_EQ(t.tempos(0).qpm(), 40);
  EXPECT_DOUBLE_EQ(t.total_time(), 15);
}

TEST(SequencesGolden, Case19Split) {
  NoteSequence s = case15_sequence();
  s.mutable_notes(0)->set_end_time(8.0);
  s.set_total_time(8.0);
  add_chord(&s, "C", 1.0);
  add_chord(&s, "G7", 2.0);
  add_chord(&s, "F", 4.0);
  const auto parts = split_note_sequence(s, 3.0);
  ASSERT_EQ(parts.size(), 3u);
  expect_notes(parts[0], {{12, .01, 3}, {11, .22, .5}, {40, 2.5, 3}});
  expect_notes(parts[1], {{55, 1, 1.01}, {52, 1.75, 2}});
  expect_notes(parts[2], {});
  auto chords = [](const NoteSequence& p) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& a : p.text_annotations()) out.push_back({a.text(), a.time()});
    return out;
  };
  using C = std::vector<std::pair<std::string, double>>;
  EXPECT_EQ(chords(parts[0]), (C{{"C", 1.0}, {"G7", 2.0}}));
  EXPECT_EQ(chords(parts[1]), (C{{"G7", 0.0}, {"F", 1.0}}));
  EXPECT_EQ(chords(parts[2]), (C{{"F", 0.0}}));
  EXPECT_DOUBLE_EQ(parts[0].total_time(), 3);
  EXPECT_DOUBLE_EQ(parts[1].total_time(), 2);
  EXPECT_DOUBLE_EQ(parts[2].total_time(), 0);
  EXPECT_DOUBLE_EQ(parts[0].subsequence_info().start_time_offset(), 0);
  EXPECT_DOUBLE_EQ(parts[0].subsequence_info().end_time_offset(), 5);
  EXPECT_DOUBLE_EQ(parts[1].subsequence_info().start_time_offset(), 3);
  EXPECT_DOUBLE_EQ(parts[1].subsequence_info().end_time_offset(), 3);
  EXPECT_DOUBLE_EQ(parts[2].subsequence_info().start_time_offset(), 6);
  EXPECT_DOUBLE_EQ(parts[2].subsequence_info().end_time_offset(), 2);
  EXPECT_TRUE(split_note_sequence(NoteSequence(), 30.0).empty());
}

TEST(SequencesGolden, SplitCarriesPedalState) {
  NoteSequence s;
  add_notes(&s, {{60, 100, 0, 1}, {62, 100, 35, 36}});
  add_cc(&s, 10.0, 127);
  add_cc(&s, 12.0, 1, 0, 7);  // volume: dropped
  const auto parts = split_note_sequence(s, 30.0);
  ASSERT_EQ(parts.size(), 2u);
  ASSERT_EQ(parts[0].control_changes_size(), 1);
  EXPECT_DOUBLE_EQ(parts[0].control_changes(0).time(), 10.0);
  ASSERT_EQ(parts[1].control_changes_size(), 1);
  EXPECT_DOUBLE_EQ(parts[1].control_changes(0).time(), 0.0);
  EXPECT_EQ(parts[1].control_changes(0).control_value(), 127);
}

TEST(SequencesGolden, Case20Trim) {
  const NoteSequence t = trim_note_sequence(case15_sequence(), 2.5, 4.75);
  expect_notes(t, {{40, 2.5, 3.5}, {55, 4, 4.01}});
  EXPECT_DOUBLE_EQ(t.total_time(), 4.75);
}

// Note 52 (4.75-5) is also held to 6 (the pedal is down from 4.9); checked with note_seq.
TEST(SequencesGolden, Case21Sustain) {
  NoteSequence s = case15_sequence();
  add_notes(&s, {{60, 100, 0.22, 0.5}, {62, 100, 4.0, 4.01}}, /*instrument=*/1);
  for (auto [time, value] : std::vector<std::pair<double, int>>{{0, 127},
                                                                {.75, 0},
                                                                {2, 127},
                                                                {3, 0},
                                                                {3.75, 127},
                                                                {4.5, 127},
                                                                {4.8, 0},
                                                                {4.9, 127},
                                                                {6, 0}}) {
    add_cc(&s, time, value);
  }
  const NoteSequence out = apply_sustain_control_changes(s);
  expect_notes(out, {{12, .01, 10},
                     {11, .22, .75},
                     {40, 2.5, 3.5},
                     {55, 4, 4.8},
                     {52, 4.75, 6},
                     {60, .22, .5},
                     {62, 4, 4.01}});
}

NoteSequence pedal_1_to_4(std::initializer_list<TestNote> notes) {
  NoteSequence s;
  add_notes(&s, notes);
  add_cc(&s, 1.0, 127);
  add_cc(&s, 4.0, 0);
  return s;
}

TEST(SequencesGolden, Case22SustainRestrike) {
  const auto out = apply_sustain_control_changes(pedal_1_to_4({{60, 100, .25, 1.5},
                                                               {60, 100, 1.25, 1.5},
                                                               {72, 100, 2, 3.5},
                                                               {60, 100, 2, 3},
                                                               {60, 100, 3.5, 4.5}}));
  expect_notes(out, {{60, .25, 1.25}, {60, 1.25, 2}, {72, 2, 4}, {60, 2, 3.5}, {60, 3.5, 4.5}});
}

TEST(SequencesGolden, Case23SustainHeldKeys) {
  const auto out = apply_sustain_control_changes(
      pedal_1_to_4({{60, 100, .25, 1.5}, {60, 100, .5, 1.5}, {60, 100, 1.25, 2}}));
  expect_notes(out, {{60, .25, 1.25}, {60, .5, 1.25}, {60, 1.25, 4}});
}

TEST(SequencesGolden, Case24SustainExtendsTotal) {
  NoteSequence s = pedal_1_to_4({{60, 100, .5, 1.5}, {72, 100, 2, 3}});
  s.set_total_time(3);
  const auto out = apply_sustain_control_changes(s);
  expect_notes(out, {{60, .5, 4}, {72, 2, 4}});
  EXPECT_DOUBLE_EQ(out.total_time(), 4);
}

TEST(SequencesGolden, Case25SustainDuplicatesAndDrums) {
  NoteSequence s = pedal_1_to_4({{60, 100, 2, 2.5}, {60, 100, 2, 2.5}});
  add_notes(&s, {{38, 100, 2, 2.5}}, 0, /*is_drum=*/true);
  const auto out = apply_sustain_control_changes(s);
  expect_notes(out, {{60, 2, 4}, {38, 2, 2.5}});
}

TEST(SequencesGolden, Case26SustainNoChange) {
  NoteSequence s;
  add_notes(&s, {{60, 100, .5, 1.5}, {72, 100, 2, 3}});
  add_cc(&s, 1.0, 127);
  add_cc(&s, 1.0, 0);
  expect_notes(apply_sustain_control_changes(s), {{60, .5, 1.5}, {72, 2, 3}});
  NoteSequence late;
  add_notes(&late, {{60, 100, .5, 1.5}, {72, 100, 2, 3}});
  add_cc(&late, 4.0, 127);
  add_cc(&late, 5.0, 0);
  const auto out = apply_sustain_control_changes(late);
  expect_notes(out, {{60, .5, 1.5}, {72, 2, 3}});
  EXPECT_DOUBLE_EQ(out.total_time(), 3);
}

TEST(SequencesGolden, Case27SustainAlreadyEnded) {
  NoteSequence s;
  add_notes(&s, {{11, 55, .22, .75}, {40, 45, 2.5, 3.5}});
  add_cc(&s, 0, 127);
  add_cc(&s, .75, 0);
  add_cc(&s, 2, 127);
  add_cc(&s, 3, 0);
  expect_notes(apply_sustain_control_changes(s), {{11, .22, .75}, {40, 2.5, 3.5}});
}

TEST(SequencesGolden, Case28Transposition) {
  NoteSequence s;
  add_notes(&s, {{12, 100, 1, 4}});
  add_notes(&s, {{36, 100, 2, 4}}, 0, /*is_drum=*/true);
  for (int amount : {0, 1}) {
    auto t = transpose_within_range(s, amount);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->notes(0).pitch(), 12 + amount);
    EXPECT_EQ(t->notes(1).pitch(), 36);
  }
  NoteSequence r;
  add_notes(&r, {{10, 100, 1, 2}, {12, 100, 2, 3}, {13, 100, 3, 4}});
  std::vector<int> kept;
  for (int amount : {-1, 0, 1}) {
    if (auto t = transpose_within_range(r, amount, 0, 12)) kept.push_back(amount);
  }
  EXPECT_EQ(kept, (std::vector<int>{-1}));
  auto t = transpose_within_range(r, -1, 0, 12);
  EXPECT_EQ(t->notes(0).pitch(), 9);
  EXPECT_EQ(t->notes(2).pitch(), 12);
}

TEST(SequencesGolden, Case29Extraction) {
  NoteSequence s;
  add_notes(&s, {{60, 100, 0, 4}});
  const NoteSequence q = quantize_note_sequence_absolute(s, 100);
  auto run = [&](ExtractionOptions options, ExtractionStats* stats) {
    return extract_performance(q, options, stats);
  };
  ExtractionStats stats;
  ExtractionOptions defaults;
  auto p = run(defaults, &stats);
  ASSERT_TRUE(p);
  EXPECT_EQ(std::get<Performance>(*p).size(), 6u);
  ExtractionOptions too_short;
  too_short.min_events = 8;
  too_short.max_events = 10;
  EXPECT_FALSE(run(too_short, &stats));
  EXPECT_EQ(stats.discarded_too_short, 1);
  ExtractionOptions truncated;
  truncated.min_events = 1;
  truncated.max_events = 3;
  p = run(truncated, &stats);
  ASSERT_TRUE(p);
  EXPECT_EQ(std::get<Performance>(*p).size(), 3u);
  EXPECT_EQ(stats.truncated, 1);
  ExtractionOptions max_steps;
  max_steps.max_steps = 100;
  p = run(max_steps, &stats);
  EXPECT_EQ(std::get<Performance>(*p).num_steps(), 100);
  ExtractionOptions late;
  late.start_step = 400;
  p = run(late, &stats);
  ASSERT_TRUE(p);
  EXPECT_EQ(std::get<Performance>(*p).size(), 0u);
  NoteSequence mixed = s;
  add_notes(&mixed, {{62, 100, 0, 4}});
  mixed.mutable_notes(1)->set_program(1);
  EXPECT_FALSE(extract_performance(quantize_note_sequence_absolute(mixed, 100), defaults, &stats));
  EXPECT_EQ(stats.discarded_more_than_1_program, 1);
}

}  // namespace
}  // namespace prnn
