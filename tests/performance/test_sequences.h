// Helpers shared by the performance tests: building NoteSequences from note tuples.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "performance/performance.h"
#include "proto/music.pb.h"

namespace prnn::testing {

struct TestNote {
  int pitch;
  int velocity;
  double start;
  double end;
};

inline void add_notes(magenta::NoteSequence* sequence, std::initializer_list<TestNote> notes,
                      int instrument = 0, bool is_drum = false) {
  for (const auto& n : notes) {
    auto* note = sequence->add_notes();
    note->set_pitch(n.pitch);
    note->set_velocity(n.velocity);
    note->set_start_time(n.start);
    note->set_end_time(n.end);
    note->set_instrument(instrument);
    note->set_is_drum(is_drum);
    if (n.end > sequence->total_time()) sequence->set_total_time(n.end);
  }
}

inline magenta::NoteSequence make_sequence(std::initializer_list<TestNote> notes) {
  magenta::NoteSequence sequence;
  add_notes(&sequence, notes);
  return sequence;
}

// Parses "ON60 OFF60 TS10 VEL5" (the notation of doc/magenta.md §5).
inline std::vector<PerformanceEvent> parse_events(const std::string& text) {
  std::vector<PerformanceEvent> events;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    const std::string token = text.substr(i, j - i);
    size_t digits = token.find_first_of("0123456789");
    const std::string kind = token.substr(0, digits);
    const int value = std::stoi(token.substr(digits));
    EventType type = kind == "ON"    ? EventType::kNoteOn
                     : kind == "OFF" ? EventType::kNoteOff
                     : kind == "TS"  ? EventType::kTimeShift
                                     : EventType::kVelocity;
    events.push_back({type, value});
    i = j;
  }
  return events;
}

inline Performance make_performance(const std::string& text, int bins = 0, int start_step = 0) {
  Performance performance(start_step, bins);
  for (const auto& e : parse_events(text)) performance.append(e);
  return performance;
}

// What --primer_pitches=[60,64,67] makes: a C major chord, velocity 100, 0–0.5 s.
inline magenta::NoteSequence chord_primer() {
  magenta::NoteSequence primer;
  add_notes(&primer, {{60, 100, 0.0, 0.5}, {64, 100, 0.0, 0.5}, {67, 100, 0.0, 0.5}});
  return primer;
}

}  // namespace prnn::testing
