// `performance_rnn compare`: the window features (quality/window_features.h) of a folder
// of generated performances against a folder of real ones, feature by feature: each set's
// mean and spread, the overlapping area of the two distributions (quality/kde_overlap.h)
// and, as the ceiling, the overlap of two halves of the reference (its files alternately,
// in sorted order, so a piece's windows stay on one side).
//
// read_feature_set reads every music file (MIDI, MusicXML, ABC) of a folder (and of its
// sub-folders with `recursive`, as every command's --recursive), skipping files whose relative path matches `exclude` (a regular expression). InputError
// naming the folder when it holds no music file or no window; a file that cannot be read
// is listed in `failed` and left out. Thread-compatible.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quality/window_features.h"

namespace prnn {

struct FeatureSet {
  std::string folder;
  int files = 0;                        // files with at least one window
  std::vector<WindowFeatures> windows;  // all files' windows, files in sorted order
  std::vector<int> file_of_window;      // index among the files with windows
  std::vector<std::string> failed;      // "path: reason"
};

FeatureSet read_feature_set(const std::string& folder, const FeatureOptions& options,
                            const std::string& exclude = "", bool recursive = false);

struct FeatureSummary {
  int count = 0;  // windows where the feature is defined
  double mean = 0, spread = 0;
};

struct FeatureComparison {
  std::array<FeatureSummary, kNumFeatures> generated, reference;
  std::array<double, kNumFeatures> overlap{}, ceiling{};  // NaN where undefined
  double mean_overlap = 0, mean_ceiling = 0;              // over the defined ones
};

FeatureComparison compare_feature_sets(const FeatureSet& generated, const FeatureSet& reference);

nlohmann::json comparison_json(const FeatureComparison& comparison, const FeatureSet& generated,
                               const FeatureSet& reference);
// One line per feature: name, both means ± spreads, overlap, ceiling; then the means.
std::string comparison_table(const FeatureComparison& comparison);

}  // namespace prnn
