#include "generate/control_midi.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "music/sequences.h"
#include "performance/extractor.h"

namespace prnn {

ControlSchedule controls_from_performance(const magenta::NoteSequence& reference,
                                          double output_seconds, const std::string& source) {
  magenta::NoteSequence sustained = apply_sustain_control_changes(reference);
  // One program, as the extractor requires: the instruments are merged anyway.
  auto* notes = sustained.mutable_notes();
  notes->erase(
      std::remove_if(notes->begin(), notes->end(), [](const auto& note) { return note.is_drum(); }),
      notes->end());
  for (auto& note : *notes) note.set_program(0);
  if (sustained.notes_size() == 0) throw InputError(source + ": no notes to take controls from");
  ExtractionOptions options;
  ExtractionStats stats;
  std::optional<AnyPerformance> extracted = extract_performance(
      quantize_note_sequence_absolute(sustained, kStepsPerSecond), options, &stats);
  if (!extracted || std::get<Performance>(*extracted).size() == 0) {
    throw InputError(source + ": no performance could be extracted to take controls from");
  }
  const Performance& performance = std::get<Performance>(*extracted);
  // The step at which each event starts.
  std::vector<int64_t> event_step(performance.size());
  int64_t step = 0;
  for (size_t i = 0; i < performance.size(); ++i) {
    event_step[i] = step;
    if (performance[i].type == EventType::kTimeShift) step += performance[i].value;
  }
  const int64_t reference_steps = step;
  const int segments = std::max(1, static_cast<int>(std::ceil(output_seconds - 1e-9)));
  const int64_t period = std::max<int64_t>(1, reference_steps / kStepsPerSecond) * kStepsPerSecond;
  // Only the events up to the last segment's start plus the longest window matter.
  const int64_t needed_until =
      std::min<int64_t>(period, static_cast<int64_t>(segments) * kStepsPerSecond) +
      static_cast<int64_t>(std::ceil(kHistogramWindowSeconds * kStepsPerSecond));
  const size_t used = static_cast<size_t>(
      std::lower_bound(event_step.begin(), event_step.end(), needed_until) - event_step.begin());
  std::span<const PerformanceEvent> events(performance.events().data(), std::max<size_t>(used, 1));
  const std::vector<double> densities = note_densities(events);
  const std::vector<PitchHistogram> histograms = pitch_class_histograms(events);

  ControlSchedule schedule;
  for (int k = 0; k < segments; ++k) {
    const int64_t at = (static_cast<int64_t>(k) * kStepsPerSecond) % period;
    size_t i = static_cast<size_t>(
        std::lower_bound(event_step.begin(),
                         event_step.begin() + static_cast<std::ptrdiff_t>(events.size()), at) -
        event_step.begin());
    i = std::min(i, events.size() - 1);
    schedule.notes_per_second.push_back(densities[i]);
    schedule.pitch_class_histograms.push_back(histograms[i]);
  }
  schedule.disable_conditioning = {false};
  return schedule;
}

}  // namespace prnn
