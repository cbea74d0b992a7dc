#include "generate/note_event_queue.h"

#include <algorithm>

#include "base/error.h"

namespace prnn {

void NoteEventQueue::reset(int64_t onset_step, int64_t current_step, int velocity_bin) {
  onset_step_ = onset_step;
  current_step_ = current_step;
  velocity_bin_ = velocity_bin;
  sounding_.clear();
  pending_.clear();
  next_ = 0;
}

void NoteEventQueue::shift_to(int64_t step) {
  while (current_step_ < step) {
    const int shift =
        static_cast<int>(std::min<int64_t>(kDefaultMaxShiftSteps, step - current_step_));
    pending_.push_back({EventType::kTimeShift, shift});
    current_step_ += shift;
  }
}

void NoteEventQueue::add(const NoteEvent& note) {
  if (empty()) {
    pending_.clear();
    next_ = 0;
  }
  onset_step_ += note.time_shift;
  const int64_t onset = std::max(onset_step_, current_step_);
  for (;;) {
    auto ending = std::min_element(
        sounding_.begin(), sounding_.end(),
        [](const Sounding& a, const Sounding& b) { return a.end_step < b.end_step; });
    if (ending == sounding_.end() || ending->end_step > onset) break;
    shift_to(ending->end_step);
    pending_.push_back({EventType::kNoteOff, ending->pitch});
    sounding_.erase(ending);
  }
  shift_to(onset);
  if (note.velocity_bin != velocity_bin_) {
    pending_.push_back({EventType::kVelocity, note.velocity_bin});
    velocity_bin_ = note.velocity_bin;
  }
  pending_.push_back({EventType::kNoteOn, note.pitch});
  sounding_.push_back({onset + note.duration, note.pitch});
}

PerformanceEvent NoteEventQueue::pop() {
  PRNN_CHECK(!empty());
  return pending_[next_++];
}

}  // namespace prnn
