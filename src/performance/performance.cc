#include "performance/performance.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <tuple>

#include "base/error.h"
#include "music/sequences.h"

namespace prnn {
namespace {

// A span longer than this (about 11.6 days at 100 steps/s) would need an unbounded
// number of time-shift events.
constexpr int64_t kMaxPerformanceSteps = 100'000'000;

int velocity_bin_size(int num_bins) { return (127 + num_bins - 1) / num_bins; }

}  // namespace

std::string to_string(const PerformanceEvent& event) {
  switch (event.type) {
    case EventType::kNoteOn:
      return "ON" + std::to_string(event.value);
    case EventType::kNoteOff:
      return "OFF" + std::to_string(event.value);
    case EventType::kTimeShift:
      return "TS" + std::to_string(event.value);
    case EventType::kVelocity:
      return "VEL" + std::to_string(event.value);
  }
  return "?";
}

std::string events_to_string(const std::vector<PerformanceEvent>& events) {
  std::string text;
  for (const auto& event : events) {
    if (!text.empty()) text += ' ';
    text += to_string(event);
  }
  return text;
}

int velocity_to_bin(int velocity, int num_bins) {
  PRNN_CHECK(num_bins >= 1 && num_bins <= 127);
  velocity = std::clamp(velocity, 1, 127);
  return (velocity - 1) / velocity_bin_size(num_bins) + 1;
}

int velocity_bin_to_velocity(int bin, int num_bins) {
  PRNN_CHECK(num_bins >= 1 && num_bins <= 127);
  return 1 + (bin - 1) * velocity_bin_size(num_bins);
}

ProgramInfo program_and_is_drum(const magenta::NoteSequence& sequence) {
  bool all_drums = true, no_drums = true;
  std::set<int> programs;
  for (const auto& note : sequence.notes()) {
    (note.is_drum() ? no_drums : all_drums) = false;
    programs.insert(note.program());
  }
  if (all_drums) return {std::nullopt, true};
  if (no_drums) {
    return {programs.size() == 1 ? std::optional<int>(*programs.begin()) : std::nullopt, false};
  }
  return {std::nullopt, std::nullopt};
}

Performance::Performance(int start_step, int num_velocity_bins, int max_shift_steps,
                         int steps_per_second)
    : start_step_(start_step),
      num_velocity_bins_(num_velocity_bins),
      max_shift_steps_(max_shift_steps),
      steps_per_second_(steps_per_second) {
  PRNN_CHECK(num_velocity_bins >= 0 && num_velocity_bins <= 127);
  PRNN_CHECK(max_shift_steps >= 1);
}

std::vector<const magenta::NoteSequence::Note*> notes_in_event_order(
    const magenta::NoteSequence& quantized, int64_t start_step) {
  std::vector<const magenta::NoteSequence::Note*> notes;
  for (const auto& note : quantized.notes()) {
    if (note.quantized_start_step() < start_step) continue;
    if (note.pitch() < 0 || note.pitch() > 127) {
      throw InputError("note pitch " + std::to_string(note.pitch()) + " is outside 0-127");
    }
    notes.push_back(&note);
  }
  std::stable_sort(notes.begin(), notes.end(), [](const auto* a, const auto* b) {
    if (a->start_time() != b->start_time()) return a->start_time() < b->start_time();
    return a->pitch() < b->pitch();
  });
  return notes;
}

Performance Performance::from_quantized_sequence(const magenta::NoteSequence& quantized,
                                                 int start_step, int num_velocity_bins,
                                                 int max_shift_steps) {
  const int sps = quantized.quantization_info().steps_per_second();
  if (sps <= 0) throw InputError("performance extraction needs an absolutely quantized sequence");
  Performance performance(start_step, num_velocity_bins, max_shift_steps, sps);
  performance.program_info_ = program_and_is_drum(quantized);

  const auto notes = notes_in_event_order(quantized, start_step);
  for (const auto* note : notes) {
    if (note->quantized_end_step() - start_step > kMaxPerformanceSteps ||
        note->quantized_start_step() - start_step > kMaxPerformanceSteps) {
      throw InputError("note at step " + std::to_string(note->quantized_end_step()) +
                       " is too far from the start to encode");
    }
  }
  struct NoteBoundary {
    int64_t step;
    int index;
    bool is_off;
    bool operator<(const NoteBoundary& o) const {
      return std::tie(step, index, is_off) < std::tie(o.step, o.index, o.is_off);
    }
  };
  std::vector<NoteBoundary> boundaries;
  boundaries.reserve(notes.size() * 2);
  for (int i = 0; i < static_cast<int>(notes.size()); ++i) {
    boundaries.push_back({notes[i]->quantized_start_step(), i, false});
    boundaries.push_back({notes[i]->quantized_end_step(), i, true});
  }
  std::sort(boundaries.begin(), boundaries.end());

  auto& events = performance.events_;
  events.reserve(boundaries.size() * 2);
  int64_t current_step = start_step;
  int current_bin = 0;
  for (const auto& boundary : boundaries) {
    if (boundary.step > current_step) {
      while (boundary.step > current_step + max_shift_steps) {
        events.push_back({EventType::kTimeShift, max_shift_steps});
        current_step += max_shift_steps;
      }
      events.push_back({EventType::kTimeShift, static_cast<int>(boundary.step - current_step)});
      current_step = boundary.step;
    }
    const auto& note = *notes[boundary.index];
    if (num_velocity_bins > 0 && !boundary.is_off) {
      const int bin = velocity_to_bin(note.velocity(), num_velocity_bins);
      if (bin != current_bin) {
        current_bin = bin;
        events.push_back({EventType::kVelocity, bin});
      }
    }
    events.push_back({boundary.is_off ? EventType::kNoteOff : EventType::kNoteOn, note.pitch()});
  }
  return performance;
}

int64_t Performance::num_steps() const {
  int64_t steps = 0;
  for (const auto& event : events_) {
    if (event.type == EventType::kTimeShift) steps += event.value;
  }
  return steps;
}

std::vector<int64_t> Performance::steps() const {
  std::vector<int64_t> result;
  result.reserve(events_.size());
  int64_t step = start_step_;
  for (const auto& event : events_) {
    result.push_back(step);
    if (event.type == EventType::kTimeShift) step += event.value;
  }
  return result;
}

void Performance::truncate(size_t num_events) {
  if (events_.size() > num_events) events_.resize(num_events);
}

void Performance::set_length(int64_t steps) {
  int64_t current = num_steps();
  if (current < steps) {
    int64_t missing = steps - current;
    if (!events_.empty() && events_.back().type == EventType::kTimeShift &&
        events_.back().value < max_shift_steps_) {
      const int64_t added = std::min<int64_t>(missing, max_shift_steps_ - events_.back().value);
      events_.back().value += static_cast<int>(added);
      missing -= added;
    }
    for (; missing >= max_shift_steps_; missing -= max_shift_steps_) {
      events_.push_back({EventType::kTimeShift, max_shift_steps_});
    }
    if (missing > 0) events_.push_back({EventType::kTimeShift, static_cast<int>(missing)});
  } else if (current > steps) {
    const int64_t to_trim = current - steps;
    int64_t trimmed = 0;
    while (!events_.empty() && trimmed < to_trim) {
      PerformanceEvent& last = events_.back();
      if (last.type == EventType::kTimeShift) {
        if (trimmed + last.value > to_trim) {
          last.value -= static_cast<int>(to_trim - trimmed);
          trimmed = to_trim;
        } else {
          trimmed += last.value;
          events_.pop_back();
        }
      } else {
        events_.pop_back();
      }
    }
  }
}

magenta::NoteSequence Performance::to_sequence(int velocity, int instrument,
                                               std::optional<int> program,
                                               double max_note_duration) const {
  const double seconds_per_step = 1.0 / steps_per_second_;
  const double start_time = start_step_ * seconds_per_step;
  magenta::NoteSequence sequence;
  sequence.set_ticks_per_quarter(kTicksPerQuarter);
  const int note_program = program ? *program : program_info_.program.value_or(0);
  const bool is_drum = program_info_.is_drum.value_or(false);

  struct OpenNote {
    int64_t start_step;
    int velocity;
  };
  // Per pitch, the open notes (FIFO); pitches in order of first reference.
  std::vector<std::vector<OpenNote>> open(128);
  std::vector<size_t> open_front(128, 0);
  std::vector<int> pitch_order;
  std::vector<bool> referenced(128, false);
  int64_t step = 0;
  auto emit = [&](int pitch, const OpenNote& note) {
    if (note.start_step == step) return;  // zero length
    auto* added = sequence.add_notes();
    added->set_start_time(note.start_step * seconds_per_step + start_time);
    added->set_end_time(step * seconds_per_step + start_time);
    if (max_note_duration > 0 && added->end_time() - added->start_time() > max_note_duration) {
      added->set_end_time(added->start_time() + max_note_duration);
    }
    added->set_pitch(pitch);
    added->set_velocity(note.velocity);
    added->set_instrument(instrument);
    added->set_program(note_program);
    added->set_is_drum(is_drum);
    if (added->end_time() > sequence.total_time()) sequence.set_total_time(added->end_time());
  };
  auto reference = [&](int pitch) {
    if (!referenced[pitch]) {
      referenced[pitch] = true;
      pitch_order.push_back(pitch);
    }
  };
  for (const auto& event : events_) {
    if (event.type == EventType::kNoteOn || event.type == EventType::kNoteOff) {
      PRNN_CHECK(event.value >= 0 && event.value <= 127);
    }
    switch (event.type) {
      case EventType::kNoteOn:
        reference(event.value);
        open[event.value].push_back({step, velocity});
        break;
      case EventType::kNoteOff: {
        reference(event.value);
        const int pitch = event.value;
        if (open_front[pitch] < open[pitch].size()) emit(pitch, open[pitch][open_front[pitch]++]);
        break;
      }
      case EventType::kTimeShift:
        step += event.value;
        break;
      case EventType::kVelocity:
        PRNN_CHECK(num_velocity_bins_ > 0);
        velocity = velocity_bin_to_velocity(event.value, num_velocity_bins_);
        break;
    }
  }
  for (int pitch : pitch_order) {
    for (size_t i = open_front[pitch]; i < open[pitch].size(); ++i) emit(pitch, open[pitch][i]);
  }
  return sequence;
}

}  // namespace prnn
