// Online augmentation against what the options promise, on a piece whose every property is
// known: one pitch (60) struck every 0.25 s for 0.2 s, 60 s long. Each drawn example must
// stay within max_events, transpose by at most ±3 (and use every transposition), and
// stretch note-on spacing by a factor within [0.95, 1.05] (25 steps at 100 steps/s →
// 23.75…26.25, so 23–27 after rounding, with more than one value across draws).
#include "data/augmented_example_stream.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "performance/config.h"
#include "performance/encoder.h"

namespace prnn {
namespace {

std::shared_ptr<const SequenceList> repeated_note_piece() {
  magenta::NoteSequence piece;
  for (int i = 0; i < 240; ++i) {
    magenta::NoteSequence::Note* note = piece.add_notes();
    note->set_pitch(60);
    note->set_velocity(80);
    note->set_start_time(0.25 * i);
    note->set_end_time(0.25 * i + 0.2);
  }
  piece.set_total_time(60.0);
  return std::make_shared<const SequenceList>(SequenceList{piece});
}

struct DrawnWindow {
  std::set<int> pitches;
  std::vector<int> onset_gaps;  // time-shift steps between consecutive note-ons
  int num_steps = 0;
};

DrawnWindow decode(const EncodedExample& example) {
  DrawnWindow drawn;
  drawn.num_steps = example.num_steps;
  int steps_since_onset = -1;
  for (int64_t label : example.labels) {
    PerformanceEvent event = class_to_event(static_cast<int>(label));
    if (event.type == EventType::kNoteOn) {
      drawn.pitches.insert(event.value);
      if (steps_since_onset >= 0) drawn.onset_gaps.push_back(steps_since_onset);
      steps_since_onset = 0;
    } else if (event.type == EventType::kTimeShift && steps_since_onset >= 0) {
      steps_since_onset += event.value;
    }
  }
  return drawn;
}

TEST(AugmentedExampleStream, WindowsStayWithinMaxEventsTranspositionAndStretch) {
  AugmentationOptions options;
  options.max_events = 64;
  AugmentedExampleStream stream(repeated_note_piece(), find_performance_config("performance"),
                                /*seed=*/7, options);
  std::set<int> pitches_seen, gaps_seen;
  for (int draw = 0; draw < 300; ++draw) {
    EncodedExample example;
    stream.next(example);
    DrawnWindow drawn = decode(example);
    ASSERT_LE(drawn.num_steps, options.max_events - 1) << "draw " << draw;
    ASSERT_GE(drawn.num_steps, options.min_events - 1) << "draw " << draw;
    ASSERT_EQ(drawn.pitches.size(), 1u) << "one transposition per window";
    int pitch = *drawn.pitches.begin();
    ASSERT_GE(pitch, 57);
    ASSERT_LE(pitch, 63);
    pitches_seen.insert(pitch);
    for (int gap : drawn.onset_gaps) {
      ASSERT_GE(gap, 23) << "draw " << draw;
      ASSERT_LE(gap, 27) << "draw " << draw;
      gaps_seen.insert(gap);
    }
  }
  EXPECT_EQ(pitches_seen.size(), 7u) << "every transposition −3…+3 is drawn";
  EXPECT_GT(gaps_seen.size(), 1u) << "stretch changes the note-on spacing";
}

TEST(AugmentedExampleStream, LongerWindowsWhenAllowed) {
  AugmentationOptions options;
  options.max_events = 512;
  AugmentedExampleStream stream(repeated_note_piece(), find_performance_config("performance"),
                                /*seed=*/3, options);
  // A 30 s window of this piece has about 120 notes × 4 events, well over 64.
  EncodedExample example;
  stream.next(example);
  EXPECT_GT(example.num_steps, 400);
  EXPECT_LE(example.num_steps, 511);
}

}  // namespace
}  // namespace prnn
