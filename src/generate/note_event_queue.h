// Turns note tuples (the note encoding's NoteEvents: shift since the previous onset, pitch,
// velocity bin, duration) into Performance events as they become due, for streaming a
// note-encoding model as a plain event stream (PerformanceStream).
//
// add(note) appends, in time order: for each sounding note that ends at or before the new
// onset (earliest end first, ties in the order they started) the time shifts up to its end
// and its NOTE_OFF; the time shifts up to the onset (each at most 100 steps); a VELOCITY
// event when the bin changes; the NOTE_ON. Offs of notes still sounding come with later
// notes. An onset that would fall before the time already emitted (possible only after a
// primer that ends after its last onset) is moved to that time.
//
// Plain value; not thread-safe. add() allocates only when its buffers grow.
#pragma once

#include <cstdint>
#include <vector>

#include "performance/note_performance.h"
#include "performance/performance.h"

namespace prnn {

class NoteEventQueue {
 public:
  // onset_step: the previous note's onset; current_step: time already emitted; velocity_bin:
  // the bin in force (0 = none yet). Clears pending events and sounding notes.
  void reset(int64_t onset_step, int64_t current_step, int velocity_bin = 0);
  void add(const NoteEvent& note);
  bool empty() const { return next_ == pending_.size(); }
  // REQUIRES: !empty().
  PerformanceEvent pop();

 private:
  struct Sounding {
    int64_t end_step;
    int pitch;
  };
  void shift_to(int64_t step);

  int64_t onset_step_ = 0;
  int64_t current_step_ = 0;
  int velocity_bin_ = 0;
  std::vector<Sounding> sounding_;  // in the order the notes started
  std::vector<PerformanceEvent> pending_;
  size_t next_ = 0;
};

}  // namespace prnn
