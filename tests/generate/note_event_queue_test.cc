// Note tuples to Performance events, worked by hand: offs come when time passes a note's
// end (earliest end first), shifts are at most 100 steps, VELOCITY only when the bin
// changes.
#include "generate/note_event_queue.h"

#include <gtest/gtest.h>

namespace prnn {
namespace {

std::vector<PerformanceEvent> drain(NoteEventQueue& queue) {
  std::vector<PerformanceEvent> out;
  while (!queue.empty()) out.push_back(queue.pop());
  return out;
}

TEST(NoteEventQueue, OffsWhenTimePassesTheirEnd) {
  using E = EventType;
  NoteEventQueue queue;
  queue.reset(0, 0);
  queue.add({0, 60, 25, 50});
  queue.add({0, 64, 25, 30});
  EXPECT_EQ(drain(queue), (std::vector<PerformanceEvent>{
                              {E::kVelocity, 25}, {E::kNoteOn, 60}, {E::kNoteOn, 64}}));
  queue.add({100, 67, 20, 10});  // onset 100: 64 ends at 30, 60 at 50
  EXPECT_EQ(drain(queue), (std::vector<PerformanceEvent>{{E::kTimeShift, 30},
                                                         {E::kNoteOff, 64},
                                                         {E::kTimeShift, 20},
                                                         {E::kNoteOff, 60},
                                                         {E::kTimeShift, 50},
                                                         {E::kVelocity, 20},
                                                         {E::kNoteOn, 67}}));
  queue.add({150, 67, 20, 200});  // onset 250: 67 ended at 110
  EXPECT_EQ(drain(queue), (std::vector<PerformanceEvent>{{E::kTimeShift, 10},
                                                         {E::kNoteOff, 67},
                                                         {E::kTimeShift, 100},
                                                         {E::kTimeShift, 40},
                                                         {E::kNoteOn, 67}}));
}

TEST(NoteEventQueue, OnsetBeforeEmittedTimeMovesToIt) {
  using E = EventType;
  NoteEventQueue queue;
  queue.reset(/*onset_step=*/100, /*current_step=*/180, /*velocity_bin=*/5);
  queue.add({50, 70, 5, 10});  // onset 150 < 180: at 180
  queue.add({40, 72, 5, 10});  // onset 190: 70 ended at 190 too (off first)
  EXPECT_EQ(drain(queue),
            (std::vector<PerformanceEvent>{
                {E::kNoteOn, 70}, {E::kTimeShift, 10}, {E::kNoteOff, 70}, {E::kNoteOn, 72}}));
}

}  // namespace
}  // namespace prnn
