#include "performance/extractor.h"

#include <set>

namespace prnn {

std::optional<AnyPerformance> extract_performance(const magenta::NoteSequence& quantized,
                                                  const ExtractionOptions& options,
                                                  Statistics* stats, const std::string& prefix) {
  for (const char* name :
       {"performances_discarded_too_short", "performances_truncated",
        "performances_truncated_timewise", "performances_discarded_more_than_1_program",
        "performance_discarded_too_many_time_shift_steps",
        "performance_discarded_too_many_duration_steps"}) {
    stats->increment(prefix + name, 0);
  }
  const std::string lengths = prefix + "performance_lengths_in_seconds";
  stats->add_histogram(lengths, {5, 10, 20, 30, 40, 60, 120});

  std::set<int> programs;
  for (const auto& note : quantized.notes()) programs.insert(note.program());
  if (programs.size() > 1) {
    stats->increment(prefix + "performances_discarded_more_than_1_program");
    return std::nullopt;
  }

  std::optional<AnyPerformance> result;
  try {
    if (options.note_performance) {
      result = NotePerformance::from_quantized_sequence(quantized, options.start_step,
                                                        options.num_velocity_bins);
    } else {
      result = Performance::from_quantized_sequence(quantized, options.start_step,
                                                    options.num_velocity_bins);
    }
  } catch (const TooManyTimeShiftStepsError&) {
    stats->increment(prefix + "performance_discarded_too_many_time_shift_steps");
    return std::nullopt;
  } catch (const TooManyDurationStepsError&) {
    stats->increment(prefix + "performance_discarded_too_many_duration_steps");
    return std::nullopt;
  } catch (const InputError&) {
    stats->increment(prefix + "performances_discarded_invalid_note");
    return std::nullopt;
  }

  return std::visit(
      [&](auto& performance) -> std::optional<AnyPerformance> {
        if (options.max_steps && performance.num_steps() > *options.max_steps) {
          if constexpr (std::is_same_v<std::decay_t<decltype(performance)>, Performance>) {
            performance.set_length(*options.max_steps);
          }
          stats->increment(prefix + "performances_truncated_timewise");
        }
        if (options.max_events && performance.size() > static_cast<size_t>(*options.max_events)) {
          performance.truncate(*options.max_events);
          stats->increment(prefix + "performances_truncated");
        }
        if (options.min_events && performance.size() < static_cast<size_t>(*options.min_events)) {
          stats->increment(prefix + "performances_discarded_too_short");
          return std::nullopt;
        }
        const int sps = quantized.quantization_info().steps_per_second();
        stats->record(lengths, static_cast<double>(performance.num_steps() / sps));
        return AnyPerformance(std::move(performance));
      },
      *result);
}

}  // namespace prnn
