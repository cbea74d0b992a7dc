#include "music/sequences.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

namespace prnn {
namespace {

using magenta::NoteSequence;

void require_unquantized(const NoteSequence& sequence, const char* operation) {
  if (is_quantized(sequence)) {
    throw InputError(std::string(operation) + ": the sequence is already quantized");
  }
}

void require_finite(double value, const char* what) {
  if (!std::isfinite(value)) throw InputError(std::string("non-finite time in ") + what);
}

// Indices of `items` sorted stably by time (Python's sorted(key=time)).
template <typename Repeated>
std::vector<int> order_by_time(const Repeated& items) {
  std::vector<int> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return items[a].time() < items[b].time(); });
  return order;
}

// note_seq's carry-over of stateful events (signatures, tempos, chord symbols) into
// segments: events inside a segment are shifted; the last event at or before a
// segment's start is re-inserted at its time 0. `sorted_events` are the source events
// in time order; `target(i)` appends an event to segment i.
template <typename Item, typename Target>
void split_stateful_events(const std::vector<const Item*>& sorted_events,
                           const std::vector<double>& split_times, Target target) {
  const int last = static_cast<int>(split_times.size()) - 1;
  const Item* previous = nullptr;
  int index = -1;
  auto add = [&](const Item& item, double time) {
    Item* added = target(index);
    *added = item;
    added->set_time(time);
  };
  for (const Item* event : sorted_events) {
    if (event->time() <= split_times[0]) {
      previous = event;
      continue;
    }
    while (index < last && event->time() > split_times[index + 1]) {
      ++index;
      if (index == last) break;
      if (previous != nullptr) add(*previous, 0.0);
    }
    if (index == last) break;
    if (event->time() < split_times[index + 1]) {
      add(*event, event->time() - split_times[index]);
    }
    previous = event;
  }
  while (index < last - 1) {
    ++index;
    if (previous != nullptr) add(*previous, 0.0);
  }
}

template <typename Repeated>
auto sorted_pointers(const Repeated& items) {
  using Item = std::remove_cvref_t<decltype(items[0])>;
  std::vector<const Item*> sorted;
  for (int i : order_by_time(items)) sorted.push_back(&items[i]);
  return sorted;
}

}  // namespace

bool is_quantized(const NoteSequence& sequence) {
  return sequence.has_quantization_info() &&
         (sequence.quantization_info().steps_per_quarter() > 0 ||
          sequence.quantization_info().steps_per_second() > 0);
}

void check_finite_times(const NoteSequence& sequence) {
  require_finite(sequence.total_time(), "total_time");
  for (const auto& note : sequence.notes()) {
    require_finite(note.start_time(), "a note start");
    require_finite(note.end_time(), "a note end");
  }
  for (const auto& cc : sequence.control_changes()) require_finite(cc.time(), "a control change");
  for (const auto& e : sequence.time_signatures()) require_finite(e.time(), "a time signature");
  for (const auto& e : sequence.key_signatures()) require_finite(e.time(), "a key signature");
  for (const auto& e : sequence.tempos()) require_finite(e.time(), "a tempo");
  for (const auto& e : sequence.pitch_bends()) require_finite(e.time(), "a pitch bend");
  for (const auto& e : sequence.text_annotations()) require_finite(e.time(), "a text annotation");
}

NoteSequence apply_sustain_control_changes(const NoteSequence& input, int control_number) {
  require_unquantized(input, "apply_sustain_control_changes");
  check_finite_times(input);
  NoteSequence sequence = input;
  enum Kind { kSustainOn = 0, kSustainOff = 1, kNoteOn = 2, kNoteOff = 3 };
  struct Event {
    double time;
    Kind kind;
    int index;  // note index, or control change index
  };
  std::vector<Event> events;
  const int num_notes = sequence.notes_size();
  for (int i = 0; i < num_notes; ++i) {
    if (!sequence.notes(i).is_drum())
      events.push_back({sequence.notes(i).start_time(), kNoteOn, i});
  }
  for (int i = 0; i < num_notes; ++i) {
    if (!sequence.notes(i).is_drum()) events.push_back({sequence.notes(i).end_time(), kNoteOff, i});
  }
  for (int i = 0; i < sequence.control_changes_size(); ++i) {
    const auto& cc = sequence.control_changes(i);
    if (cc.control_number() != control_number) continue;
    events.push_back({cc.time(), cc.control_value() >= 64 ? kSustainOn : kSustainOff, i});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.kind < b.kind;
  });

  struct InstrumentState {
    bool sustain = false;
    std::vector<int> active;  // note indices, in activation order
  };
  std::map<int, InstrumentState> states;
  std::vector<bool> deleted(num_notes, false);
  auto* notes = sequence.mutable_notes();
  double time = 0.0;
  for (const Event& event : events) {
    time = event.time;
    const bool is_cc = event.kind == kSustainOn || event.kind == kSustainOff;
    const int instrument = is_cc ? sequence.control_changes(event.index).instrument()
                                 : notes->Get(event.index).instrument();
    InstrumentState& state = states[instrument];
    switch (event.kind) {
      case kSustainOn:
        state.sustain = true;
        break;
      case kSustainOff: {
        state.sustain = false;
        std::vector<int> still_active;
        for (int n : state.active) {
          auto* note = notes->Mutable(n);
          if (note->end_time() < time) {
            note->set_end_time(time);
            if (time > sequence.total_time()) sequence.set_total_time(time);
          } else {
            still_active.push_back(n);
          }
        }
        state.active = std::move(still_active);
        break;
      }
      case kNoteOn: {
        if (state.sustain) {
          const int pitch = notes->Get(event.index).pitch();
          std::vector<int> still_active;
          for (int n : state.active) {
            auto* note = notes->Mutable(n);
            if (note->pitch() == pitch) {
              note->set_end_time(time);
              if (note->start_time() == note->end_time()) deleted[n] = true;
            } else {
              still_active.push_back(n);
            }
          }
          state.active = std::move(still_active);
        }
        state.active.push_back(event.index);
        break;
      }
      case kNoteOff: {
        if (!state.sustain) {
          auto found = std::find(state.active.begin(), state.active.end(), event.index);
          if (found != state.active.end()) state.active.erase(found);
        }
        break;
      }
    }
  }
  for (auto& [instrument, state] : states) {
    for (int n : state.active) {
      notes->Mutable(n)->set_end_time(time);
      sequence.set_total_time(time);
    }
  }
  if (std::find(deleted.begin(), deleted.end(), true) != deleted.end()) {
    google::protobuf::RepeatedPtrField<magenta::NoteSequence::Note> kept;
    for (int i = 0; i < num_notes; ++i) {
      if (!deleted[i]) kept.Add()->Swap(notes->Mutable(i));
    }
    notes->Swap(&kept);
  }
  return sequence;
}

NoteSequence stretch_note_sequence(const NoteSequence& input, double factor) {
  NoteSequence sequence = input;
  stretch_in_place(&sequence, factor);
  return sequence;
}

void stretch_in_place(NoteSequence* stretched, double factor) {
  require_unquantized(*stretched, "stretch_note_sequence");
  if (factor == 1.0) return;
  NoteSequence& sequence = *stretched;
  for (auto& note : *sequence.mutable_notes()) {
    note.set_start_time(note.start_time() * factor);
    note.set_end_time(note.end_time() * factor);
  }
  sequence.set_total_time(sequence.total_time() * factor);
  auto scale = [factor](auto* repeated) {
    for (auto& event : *repeated) event.set_time(event.time() * factor);
  };
  scale(sequence.mutable_time_signatures());
  scale(sequence.mutable_key_signatures());
  scale(sequence.mutable_tempos());
  scale(sequence.mutable_pitch_bends());
  scale(sequence.mutable_control_changes());
  scale(sequence.mutable_text_annotations());
  for (auto& tempo : *sequence.mutable_tempos()) tempo.set_qpm(tempo.qpm() / factor);
}

std::vector<NoteSequence> split_note_sequence(const NoteSequence& sequence, double hop_seconds) {
  require_unquantized(sequence, "split_note_sequence");
  check_finite_times(sequence);
  const double total = sequence.total_time();
  if (total > kMaxSequenceSeconds) {
    throw InputError("sequence is " + std::to_string(total) + " s long; at most " +
                     std::to_string(kMaxSequenceSeconds) + " s can be split");
  }
  if (!(hop_seconds > 0)) throw InputError("split hop must be positive");
  // numpy.arange(hop, total, hop): ceil((total - hop) / hop) points hop·(i+1).
  std::vector<double> split_times = {0.0};
  if (total > hop_seconds) {
    const auto count = static_cast<int64_t>(std::ceil((total - hop_seconds) / hop_seconds));
    for (int64_t i = 0; i < count; ++i) split_times.push_back(hop_seconds + i * hop_seconds);
  }
  if (total > split_times.back()) split_times.push_back(total);
  if (split_times.size() < 2) return {};

  const int last = static_cast<int>(split_times.size()) - 1;
  NoteSequence empty = sequence;
  empty.set_total_time(0.0);
  empty.clear_notes();
  empty.clear_time_signatures();
  empty.clear_key_signatures();
  empty.clear_tempos();
  empty.clear_text_annotations();
  empty.clear_control_changes();
  empty.clear_pitch_bends();
  std::vector<NoteSequence> segments(last, empty);

  // Notes, by start time.
  {
    std::vector<int> order(sequence.notes_size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return sequence.notes(a).start_time() < sequence.notes(b).start_time();
    });
    int index = -1;
    for (int n : order) {
      const auto& note = sequence.notes(n);
      if (note.start_time() < split_times[0]) continue;
      while (index < last && note.start_time() >= split_times[index + 1]) ++index;
      if (index == last) break;
      NoteSequence& segment = segments[index];
      auto* added = segment.add_notes();
      *added = note;
      added->set_start_time(note.start_time() - split_times[index]);
      added->set_end_time(std::min(note.end_time(), split_times[index + 1]) - split_times[index]);
      if (added->end_time() > segment.total_time()) segment.set_total_time(added->end_time());
    }
  }

  split_stateful_events(sorted_pointers(sequence.time_signatures()), split_times,
                        [&](int i) { return segments[i].add_time_signatures(); });
  split_stateful_events(sorted_pointers(sequence.key_signatures()), split_times,
                        [&](int i) { return segments[i].add_key_signatures(); });
  split_stateful_events(sorted_pointers(sequence.tempos()), split_times,
                        [&](int i) { return segments[i].add_tempos(); });
  using Annotation = NoteSequence::TextAnnotation;
  std::vector<const Annotation*> chords, beats;
  for (const Annotation* a : sorted_pointers(sequence.text_annotations())) {
    if (a->annotation_type() == NoteSequence::TextAnnotation::CHORD_SYMBOL) chords.push_back(a);
    if (a->annotation_type() == NoteSequence::TextAnnotation::BEAT) beats.push_back(a);
  }
  split_stateful_events(chords, split_times,
                        [&](int i) { return segments[i].add_text_annotations(); });
  {
    int index = -1;
    for (const Annotation* beat : beats) {
      if (beat->time() < split_times[0]) continue;
      while (index < last && beat->time() >= split_times[index + 1]) ++index;
      if (index == last) break;
      auto* added = segments[index].add_text_annotations();
      *added = *beat;
      added->set_time(beat->time() - split_times[index]);
    }
  }

  // Pedal CCs (64, 66, 67): the state of each (instrument, number) carries over.
  {
    using ControlChange = NoteSequence::ControlChange;
    std::vector<std::pair<std::pair<int, int>, const ControlChange*>> previous;  // insertion order
    auto remember = [&](const ControlChange* cc) {
      const std::pair<int, int> key{cc->instrument(), cc->control_number()};
      for (auto& entry : previous) {
        if (entry.first == key) {
          entry.second = cc;
          return;
        }
      }
      previous.push_back({key, cc});
    };
    auto carry_into = [&](int i) {
      for (const auto& entry : previous) {
        auto* added = segments[i].add_control_changes();
        *added = *entry.second;
        added->set_time(0.0);
      }
    };
    int index = -1;
    for (const ControlChange* cc : sorted_pointers(sequence.control_changes())) {
      const int number = cc->control_number();
      if (number != 64 && number != 66 && number != 67) continue;
      if (cc->time() <= split_times[0]) {
        remember(cc);
        continue;
      }
      while (index < last && cc->time() > split_times[index + 1]) {
        ++index;
        if (index == last) break;
        carry_into(index);
      }
      if (index == last) break;
      if (cc->time() < split_times[index + 1]) {
        auto* added = segments[index].add_control_changes();
        *added = *cc;
        added->set_time(cc->time() - split_times[index]);
      }
      remember(cc);
    }
    while (index < last - 1) carry_into(++index);
  }

  for (int i = 0; i < last; ++i) {
    auto* info = segments[i].mutable_subsequence_info();
    info->set_start_time_offset(split_times[i]);
    info->set_end_time_offset(total - split_times[i] - segments[i].total_time());
  }
  return segments;
}

int64_t quantize_to_step(double seconds, double steps_per_second, double cutoff) {
  const double steps = seconds * steps_per_second + (1.0 - cutoff);
  if (!std::isfinite(steps) || std::fabs(steps) >= 9.0e18) {
    throw InputError("time " + std::to_string(seconds) + " s cannot be quantized");
  }
  return static_cast<int64_t>(steps);  // truncates toward zero, like Python's int()
}

NoteSequence quantize_note_sequence_absolute(const NoteSequence& input, int steps_per_second) {
  NoteSequence sequence = input;
  quantize_absolute_in_place(&sequence, steps_per_second);
  return sequence;
}

void quantize_absolute_in_place(NoteSequence* quantized, int steps_per_second) {
  require_unquantized(*quantized, "quantize_note_sequence_absolute");
  NoteSequence& sequence = *quantized;
  sequence.mutable_quantization_info()->set_steps_per_second(steps_per_second);
  sequence.set_total_quantized_steps(quantize_to_step(sequence.total_time(), steps_per_second));
  for (auto& note : *sequence.mutable_notes()) {
    const int64_t start = quantize_to_step(note.start_time(), steps_per_second);
    int64_t end = quantize_to_step(note.end_time(), steps_per_second);
    if (end == start) ++end;
    note.set_quantized_start_step(start);
    note.set_quantized_end_step(end);
    if (start < 0 || end < 0) {
      throw NegativeTimeError("negative note time: start step " + std::to_string(start) +
                              ", end step " + std::to_string(end));
    }
    if (end > sequence.total_quantized_steps()) sequence.set_total_quantized_steps(end);
  }
  auto quantize_events = [&](auto* repeated) {
    for (auto& event : *repeated) {
      const int64_t step = quantize_to_step(event.time(), steps_per_second);
      event.set_quantized_step(step);
      if (step < 0) throw NegativeTimeError("negative event time: step " + std::to_string(step));
    }
  };
  quantize_events(sequence.mutable_control_changes());
  quantize_events(sequence.mutable_text_annotations());
}

std::optional<NoteSequence> transpose_within_range(const NoteSequence& input, int amount,
                                                   int min_pitch, int max_pitch) {
  for (const auto& note : input.notes()) {
    if (note.is_drum()) continue;
    const int64_t pitch = static_cast<int64_t>(note.pitch()) + amount;
    if (pitch < min_pitch || pitch > max_pitch) return std::nullopt;
  }
  NoteSequence sequence = input;
  for (auto& note : *sequence.mutable_notes()) {
    if (!note.is_drum()) note.set_pitch(note.pitch() + amount);
  }
  return sequence;
}

NoteSequence trim_note_sequence(const NoteSequence& input, double start, double end) {
  NoteSequence sequence = input;
  sequence.clear_notes();
  for (const auto& note : input.notes()) {
    if (note.start_time() < start || note.start_time() >= end) continue;
    auto* added = sequence.add_notes();
    *added = note;
    added->set_end_time(std::min(note.end_time(), end));
  }
  sequence.set_total_time(std::min(input.total_time(), end));
  return sequence;
}

}  // namespace prnn
