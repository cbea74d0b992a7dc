#include "quality/feature_comparison.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <regex>

#include "base/error.h"
#include "music/note_sequence_source.h"
#include "quality/kde_overlap.h"

namespace prnn {
namespace {

std::vector<double> column(const std::vector<WindowFeatures>& windows, int feature) {
  std::vector<double> out;
  for (const WindowFeatures& w : windows) out.push_back(w.values[feature]);
  return out;
}

FeatureSummary summarize(const std::vector<double>& values) {
  FeatureSummary s;
  double sum = 0, squares = 0;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    ++s.count;
    sum += v;
  }
  if (s.count == 0) return s;
  s.mean = sum / s.count;
  for (double v : values)
    if (std::isfinite(v)) squares += (v - s.mean) * (v - s.mean);
  s.spread = std::sqrt(squares / s.count);
  return s;
}

double mean_defined(const std::array<double, kNumFeatures>& values) {
  double sum = 0;
  int n = 0;
  for (double v : values) {
    if (std::isfinite(v)) {
      sum += v;
      ++n;
    }
  }
  return n ? sum / n : std::nan("");
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

}  // namespace

FeatureSet read_feature_set(const std::string& folder, const FeatureOptions& options,
                            const std::string& exclude, bool recursive) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw InputError(folder + ": not a folder (compare reads folders of MIDI files)");
  }
  std::optional<std::regex> skip;
  if (!exclude.empty()) {
    try {
      skip.emplace(exclude);
    } catch (const std::regex_error& e) {
      throw UsageError("--exclude=" + exclude + ": not a regular expression (" + e.what() + ")");
    }
  }
  NoteSequenceSource::Options source_options;
  source_options.recursive = recursive;
  NoteSequenceSource source(folder, source_options);
  FeatureSet set;
  set.folder = folder;
  int music_files = 0;
  source.for_each([&](NoteSequenceItem& item) {
    if (skip && std::regex_search(item.relative_path, *skip)) return true;
    ++music_files;
    if (!item.ok) {
      set.failed.push_back(item.error);
      return true;
    }
    std::vector<WindowFeatures> windows = window_features(item.sequence, options);
    if (windows.empty()) return true;
    for (WindowFeatures& w : windows) {
      set.windows.push_back(w);
      set.file_of_window.push_back(set.files);
    }
    ++set.files;
    return true;
  });
  if (music_files == 0) {
    throw InputError(folder + ": no MIDI (or MusicXML/ABC) files" +
                     (exclude.empty() ? "" : " not matching --exclude=" + exclude));
  }
  if (set.windows.empty()) {
    throw InputError(folder + ": none of its " + std::to_string(music_files) +
                     " music files has a note to measure" +
                     (set.failed.empty() ? "" : " (first failure: " + set.failed[0] + ")"));
  }
  return set;
}

FeatureComparison compare_feature_sets(const FeatureSet& generated, const FeatureSet& reference) {
  FeatureComparison c;
  std::vector<WindowFeatures> half[2];
  for (size_t i = 0; i < reference.windows.size(); ++i) {
    half[reference.file_of_window[i] % 2].push_back(reference.windows[i]);
  }
  for (int f = 0; f < kNumFeatures; ++f) {
    const std::vector<double> g = column(generated.windows, f), r = column(reference.windows, f);
    c.generated[f] = summarize(g);
    c.reference[f] = summarize(r);
    c.overlap[f] = kde_overlap(g, r);
    c.ceiling[f] =
        reference.files >= 2 ? kde_overlap(column(half[0], f), column(half[1], f)) : std::nan("");
  }
  c.mean_overlap = mean_defined(c.overlap);
  c.mean_ceiling = mean_defined(c.ceiling);
  return c;
}

nlohmann::json comparison_json(const FeatureComparison& c, const FeatureSet& generated,
                               const FeatureSet& reference) {
  auto set_json = [](const FeatureSet& s) {
    return nlohmann::json{{"folder", s.folder},
                          {"files", s.files},
                          {"windows", s.windows.size()},
                          {"failed", s.failed}};
  };
  auto summary_json = [](const FeatureSummary& s) {
    return nlohmann::json{{"windows", s.count},
                          {"mean", s.count ? nlohmann::json(s.mean) : nlohmann::json()},
                          {"spread", s.count ? nlohmann::json(s.spread) : nlohmann::json()}};
  };
  nlohmann::json features = nlohmann::json::object();
  for (int f = 0; f < kNumFeatures; ++f) {
    features[feature_name(f)] = {{"generated", summary_json(c.generated[f])},
                                 {"reference", summary_json(c.reference[f])},
                                 {"overlap", number_or_null(c.overlap[f])},
                                 {"ceiling", number_or_null(c.ceiling[f])}};
  }
  return {{"generated", set_json(generated)},
          {"reference", set_json(reference)},
          {"features", features},
          {"mean_overlap", number_or_null(c.mean_overlap)},
          {"mean_ceiling", number_or_null(c.mean_ceiling)}};
}

std::string comparison_table(const FeatureComparison& c) {
  std::string out;
  char line[200];
  std::snprintf(line, sizeof line, "%-26s %21s %21s %8s %8s\n", "feature", "generated", "reference",
                "overlap", "ceiling");
  out += line;
  auto cell = [](double v) {
    char text[16];
    if (std::isfinite(v)) {
      std::snprintf(text, sizeof text, "%.3f", v);
    } else {
      std::snprintf(text, sizeof text, "-");
    }
    return std::string(text);
  };
  auto stats = [](const FeatureSummary& s) {
    char text[40];
    std::snprintf(text, sizeof text, "%.3f ± %.3f", s.mean, s.spread);
    return s.count ? std::string(text) : std::string("-");
  };
  for (int f = 0; f < kNumFeatures; ++f) {
    std::snprintf(line, sizeof line, "%-26s %21s %21s %8s %8s\n", feature_name(f),
                  stats(c.generated[f]).c_str(), stats(c.reference[f]).c_str(),
                  cell(c.overlap[f]).c_str(), cell(c.ceiling[f]).c_str());
    out += line;
  }
  std::snprintf(line, sizeof line, "%-26s %21s %21s %8s %8s\n", "mean", "", "",
                cell(c.mean_overlap).c_str(), cell(c.mean_ceiling).c_str());
  out += line;
  return out;
}

}  // namespace prnn
