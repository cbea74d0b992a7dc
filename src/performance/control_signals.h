// Control signals of the conditioned configs (doc/magenta.md §7): note density and
// pitch-class histogram, one value per event, computed exactly as note_seq does (a
// value is recomputed only at event 0 and after a time shift, else copied), and their
// encodings into the dense part of the network input.
//
// Pure functions over event lists; thread-safe.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "performance/performance.h"

namespace prnn {

inline constexpr double kDensityWindowSeconds = 3.0;
inline constexpr double kHistogramWindowSeconds = 5.0;
inline constexpr double kHistogramPriorCount = 0.01;
inline constexpr std::array<double, 7> kDensityBinEdges = {1, 2, 4, 8, 16, 32, 64};
inline constexpr int kDensityClasses = 8;
inline constexpr int kPitchClasses = 12;
inline constexpr double kDefaultNoteDensity = 15.0;

using PitchHistogram = std::array<double, kPitchClasses>;

// Notes per second in the window starting at each event.
std::vector<double> note_densities(std::span<const PerformanceEvent> events,
                                   int steps_per_second = kStepsPerSecond,
                                   double window_seconds = kDensityWindowSeconds);

// Pitch-class weights (seconds held, plus the prior) in the window starting at each event.
std::vector<PitchHistogram> pitch_class_histograms(std::span<const PerformanceEvent> events,
                                                   int steps_per_second = kStepsPerSecond,
                                                   double window_seconds = kHistogramWindowSeconds,
                                                   double prior_count = kHistogramPriorCount);

// The density class: the first k with density < edge[k], else the number of edges.
int density_class(double density, std::span<const double> bin_edges = kDensityBinEdges);

// The histogram divided by its sum (1/12 each if the sum is not positive), into out[12].
void normalize_histogram(const PitchHistogram& histogram, float* out);

// The default histogram (all ones) used when generating without a given histogram.
inline PitchHistogram default_pitch_histogram() {
  PitchHistogram h;
  h.fill(1.0);
  return h;
}

// The control values describing one event, as the conditioned encoders consume them.
struct ControlValues {
  double note_density = kDefaultNoteDensity;
  PitchHistogram pitch_histogram = default_pitch_histogram();
  bool disable_conditioning = false;  // only meaningful for optional conditioning
};

}  // namespace prnn
