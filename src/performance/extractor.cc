#include "performance/extractor.h"

#include <algorithm>
#include <set>

namespace prnn {

namespace {

constexpr std::array<double, 7> kLengthBuckets = {5, 10, 20, 30, 40, 60, 120};

}  // namespace

void ExtractionStats::add(const ExtractionStats& other, int64_t times) {
  discarded_too_short += other.discarded_too_short * times;
  truncated += other.truncated * times;
  truncated_timewise += other.truncated_timewise * times;
  discarded_more_than_1_program += other.discarded_more_than_1_program * times;
  discarded_too_many_time_shift_steps += other.discarded_too_many_time_shift_steps * times;
  discarded_too_many_duration_steps += other.discarded_too_many_duration_steps * times;
  discarded_invalid_note += other.discarded_invalid_note * times;
  for (size_t i = 0; i < lengths_in_seconds.size(); ++i) {
    lengths_in_seconds[i] += other.lengths_in_seconds[i] * times;
  }
}

void ExtractionStats::record(const std::string& prefix, Statistics* stats) const {
  stats->increment(prefix + "performances_discarded_too_short", discarded_too_short);
  stats->increment(prefix + "performances_truncated", truncated);
  stats->increment(prefix + "performances_truncated_timewise", truncated_timewise);
  stats->increment(prefix + "performances_discarded_more_than_1_program",
                   discarded_more_than_1_program);
  stats->increment(prefix + "performance_discarded_too_many_time_shift_steps",
                   discarded_too_many_time_shift_steps);
  stats->increment(prefix + "performance_discarded_too_many_duration_steps",
                   discarded_too_many_duration_steps);
  if (discarded_invalid_note > 0) {
    stats->increment(prefix + "performances_discarded_invalid_note", discarded_invalid_note);
  }
  const std::string lengths = prefix + "performance_lengths_in_seconds";
  stats->add_histogram(lengths, {kLengthBuckets.begin(), kLengthBuckets.end()});
  const double lowers[8] = {-1e300, 5, 10, 20, 30, 40, 60, 120};
  for (size_t i = 0; i < lengths_in_seconds.size(); ++i) {
    stats->record(lengths, lowers[i], lengths_in_seconds[i]);
  }
}

std::optional<AnyPerformance> extract_performance(const magenta::NoteSequence& quantized,
                                                  const ExtractionOptions& options,
                                                  ExtractionStats* stats) {
  std::set<int> programs;
  for (const auto& note : quantized.notes()) programs.insert(note.program());
  if (programs.size() > 1) {
    ++stats->discarded_more_than_1_program;
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
    ++stats->discarded_too_many_time_shift_steps;
    return std::nullopt;
  } catch (const TooManyDurationStepsError&) {
    ++stats->discarded_too_many_duration_steps;
    return std::nullopt;
  } catch (const InputError&) {
    ++stats->discarded_invalid_note;
    return std::nullopt;
  }

  return std::visit(
      [&](auto& performance) -> std::optional<AnyPerformance> {
        if (options.max_steps && performance.num_steps() > *options.max_steps) {
          if constexpr (std::is_same_v<std::decay_t<decltype(performance)>, Performance>) {
            performance.set_length(*options.max_steps);
          }
          ++stats->truncated_timewise;
        }
        if (options.max_events && performance.size() > static_cast<size_t>(*options.max_events)) {
          performance.truncate(*options.max_events);
          ++stats->truncated;
        }
        if (options.min_events && performance.size() < static_cast<size_t>(*options.min_events)) {
          ++stats->discarded_too_short;
          return std::nullopt;
        }
        const int sps = quantized.quantization_info().steps_per_second();
        const auto seconds = static_cast<double>(performance.num_steps() / sps);
        const auto bucket = std::upper_bound(kLengthBuckets.begin(), kLengthBuckets.end(), seconds);
        ++stats->lengths_in_seconds[bucket - kLengthBuckets.begin()];
        return AnyPerformance(std::move(performance));
      },
      *result);
}

std::optional<AnyPerformance> extract_performance(const magenta::NoteSequence& quantized,
                                                  const ExtractionOptions& options,
                                                  Statistics* stats,
                                                  const std::string& stat_prefix) {
  ExtractionStats counts;
  auto performance = extract_performance(quantized, options, &counts);
  counts.record(stat_prefix, stats);
  return performance;
}

}  // namespace prnn
