#include "performance/control_signals.h"

#include <cmath>

namespace prnn {
namespace {

int window_steps(double seconds, int steps_per_second) {
  return static_cast<int>(std::nearbyint(seconds * steps_per_second));
}

}  // namespace

std::vector<double> note_densities(std::span<const PerformanceEvent> events, int steps_per_second,
                                   double window_seconds) {
  const int window = window_steps(window_seconds, steps_per_second);
  const size_t n = events.size();
  std::vector<double> densities;
  densities.reserve(n);
  double previous = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && events[i - 1].type != EventType::kTimeShift) {
      densities.push_back(previous);
      continue;
    }
    int64_t offset = 0;
    int64_t count = 0;
    for (size_t j = i; offset < window && j < n; ++j) {
      if (events[j].type == EventType::kNoteOn) ++count;
      if (events[j].type == EventType::kTimeShift) offset += events[j].value;
    }
    const int64_t actual = std::min<int64_t>(offset, window);
    const double density =
        actual > 0 ? static_cast<double>(count) * steps_per_second / static_cast<double>(actual)
                   : 0.0;
    densities.push_back(density);
    previous = density;
  }
  return densities;
}

std::vector<PitchHistogram> pitch_class_histograms(std::span<const PerformanceEvent> events,
                                                   int steps_per_second, double window_seconds,
                                                   double prior_count) {
  const int window = window_steps(window_seconds, steps_per_second);
  const size_t n = events.size();
  std::vector<PitchHistogram> histograms;
  histograms.reserve(n);
  std::array<bool, 128> base_active{};
  PitchHistogram previous = default_pitch_histogram();
  for (size_t i = 0; i < n; ++i) {
    if (events[i].type == EventType::kNoteOn) base_active[events[i].value] = true;
    if (events[i].type == EventType::kNoteOff) base_active[events[i].value] = false;
    if (i > 0 && events[i - 1].type != EventType::kTimeShift) {
      histograms.push_back(previous);
      continue;
    }
    std::array<bool, 128> active = base_active;
    PitchHistogram histogram;
    histogram.fill(prior_count);
    int64_t offset = 0;
    for (size_t j = i; offset < window && j < n; ++j) {
      const PerformanceEvent& e = events[j];
      if (e.type == EventType::kNoteOn) active[e.value] = true;
      if (e.type == EventType::kNoteOff) active[e.value] = false;
      if (e.type == EventType::kTimeShift) {
        const double seconds = static_cast<double>(e.value) / steps_per_second;
        for (int pitch = 0; pitch < 128; ++pitch) {
          if (active[pitch]) histogram[pitch % kPitchClasses] += seconds;
        }
        offset += e.value;
      }
    }
    histograms.push_back(histogram);
    previous = histogram;
  }
  return histograms;
}

int density_class(double density, std::span<const double> bin_edges) {
  for (size_t k = 0; k < bin_edges.size(); ++k) {
    if (density < bin_edges[k]) return static_cast<int>(k);
  }
  return static_cast<int>(bin_edges.size());
}

void normalize_histogram(const PitchHistogram& histogram, float* out) {
  double total = 0.0;
  for (double v : histogram) total += v;
  for (int k = 0; k < kPitchClasses; ++k) {
    out[k] = total > 0 ? static_cast<float>(histogram[k] / total)
                       : static_cast<float>(1.0 / kPitchClasses);
  }
}

}  // namespace prnn
