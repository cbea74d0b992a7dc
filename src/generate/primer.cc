#include "generate/primer.h"

#include "base/error.h"
#include "generate/literal_list.h"
#include "music/sequences.h"

namespace prnn {
namespace {

constexpr double kQuarterSeconds = 0.5;       // 120 qpm
constexpr double kMelodyStepSeconds = 0.125;  // 4 steps per quarter
constexpr int kMelodyNoteOff = -1;

}  // namespace

magenta::NoteSequence primer_from_pitches(const std::string& flag_value) {
  magenta::NoteSequence primer;
  primer.set_ticks_per_quarter(kTicksPerQuarter);
  for (int pitch : parse_int_list("primer_pitches", flag_value, 0, 127)) {
    auto* note = primer.add_notes();
    note->set_start_time(0);
    note->set_end_time(kQuarterSeconds);
    note->set_pitch(pitch);
    note->set_velocity(100);
    primer.set_total_time(kQuarterSeconds);
  }
  return primer;
}

magenta::NoteSequence primer_from_melody(const std::string& flag_value) {
  const std::vector<int> values = parse_int_list("primer_melody", flag_value, -2, 127);
  magenta::NoteSequence primer;
  primer.set_ticks_per_quarter(kTicksPerQuarter);
  primer.add_tempos()->set_qpm(120.0);
  magenta::NoteSequence::Note* sounding = nullptr;
  for (size_t step = 0; step < values.size(); ++step) {
    const double time = step * kMelodyStepSeconds;
    if (values[step] >= 0) {
      if (sounding) sounding->set_end_time(time);
      sounding = primer.add_notes();
      sounding->set_start_time(time);
      sounding->set_pitch(values[step]);
      sounding->set_velocity(100);
    } else if (values[step] == kMelodyNoteOff && sounding) {
      sounding->set_end_time(time);
      sounding = nullptr;
    }
  }
  if (sounding) sounding->set_end_time(values.size() * kMelodyStepSeconds);
  if (primer.notes_size() > 0) {
    primer.set_total_time(primer.notes(primer.notes_size() - 1).end_time());
  }
  return primer;
}

}  // namespace prnn
