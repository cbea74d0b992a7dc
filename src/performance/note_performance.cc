#include "music/sequences.h"
#include "performance/note_performance.h"

#include <algorithm>
#include <string>

namespace prnn {

NotePerformance NotePerformance::from_quantized_sequence(const magenta::NoteSequence& quantized,
                                                         int start_step, int num_velocity_bins,
                                                         int max_shift_steps,
                                                         int max_duration_steps) {
  const int sps = quantized.quantization_info().steps_per_second();
  if (sps <= 0) throw InputError("note extraction needs an absolutely quantized sequence");
  PRNN_CHECK(num_velocity_bins >= 1 && num_velocity_bins <= 127);
  NotePerformance performance(start_step, num_velocity_bins, sps);
  performance.program_info_ = program_and_is_drum(quantized);
  const auto notes = notes_in_event_order(quantized, start_step);
  int64_t current_step = start_step;
  for (const auto* note : notes) {
    const int64_t shift = note->quantized_start_step() - current_step;
    if (shift > max_shift_steps) {
      throw TooManyTimeShiftStepsError("too many steps for a time shift: " + std::to_string(shift));
    }
    current_step = note->quantized_start_step();
    const int64_t duration = note->quantized_end_step() - note->quantized_start_step();
    if (duration > max_duration_steps) {
      throw TooManyDurationStepsError("too many steps for a duration: " + std::to_string(duration));
    }
    if (shift < 0 || duration < 1) {
      throw InputError("note with a negative time shift or a non-positive duration");
    }
    performance.events_.push_back({static_cast<int>(shift), note->pitch(),
                                   velocity_to_bin(note->velocity(), num_velocity_bins),
                                   static_cast<int>(duration)});
  }
  return performance;
}

int64_t NotePerformance::num_steps() const {
  int64_t steps = 0;
  for (const auto& event : events_) steps += event.time_shift;
  if (!events_.empty()) steps += events_.back().duration;
  return steps;
}

void NotePerformance::trim_to_steps(int64_t steps) {
  int64_t onset = 0;
  for (size_t i = 0; i < events_.size(); ++i) {
    onset += events_[i].time_shift;
    if (onset >= steps) {
      events_.resize(i);
      return;
    }
    events_[i].duration = static_cast<int>(std::min<int64_t>(events_[i].duration, steps - onset));
  }
}

magenta::NoteSequence NotePerformance::to_sequence(int instrument,
                                                   std::optional<int> program) const {
  const double seconds_per_step = 1.0 / steps_per_second_;
  const double start_time = start_step_ * seconds_per_step;
  magenta::NoteSequence sequence;
  sequence.set_ticks_per_quarter(kTicksPerQuarter);
  const int note_program = program ? *program : program_info_.program.value_or(0);
  const bool is_drum = program_info_.is_drum.value_or(false);
  int64_t step = 0;
  for (const auto& event : events_) {
    step += event.time_shift;
    auto* note = sequence.add_notes();
    note->set_start_time(step * seconds_per_step + start_time);
    note->set_end_time((step + event.duration) * seconds_per_step + start_time);
    note->set_pitch(event.pitch);
    note->set_velocity(velocity_bin_to_velocity(event.velocity_bin, num_velocity_bins_));
    note->set_instrument(instrument);
    note->set_program(note_program);
    note->set_is_drum(is_drum);
    if (note->end_time() > sequence.total_time()) sequence.set_total_time(note->end_time());
  }
  return sequence;
}

}  // namespace prnn
