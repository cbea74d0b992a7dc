#include "base/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/error.h"

namespace prnn {
namespace {

// Python's str() of a bucket bound: integers without a fraction, inf as "inf".
std::string bound_text(double value) {
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  return text;
}

}  // namespace

void Statistics::increment(const std::string& name, int64_t amount) { counters_[name] += amount; }

void Statistics::add_histogram(const std::string& name, std::vector<double> buckets) {
  if (histograms_.count(name)) return;
  Histogram histogram;
  histogram.lowers.push_back(-std::numeric_limits<double>::infinity());
  std::sort(buckets.begin(), buckets.end());
  buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
  histogram.lowers.insert(histogram.lowers.end(), buckets.begin(), buckets.end());
  histogram.counts.assign(histogram.lowers.size(), 0);
  histograms_[name] = std::move(histogram);
}

void Statistics::record(const std::string& name, double value, int64_t count) {
  auto found = histograms_.find(name);
  PRNN_CHECK(found != histograms_.end());
  Histogram& h = found->second;
  const auto at = std::upper_bound(h.lowers.begin(), h.lowers.end(), value);
  h.counts[static_cast<size_t>(at - h.lowers.begin()) - 1] += count;
}

void Statistics::merge(const Statistics& other) {
  for (const auto& [name, count] : other.counters_) counters_[name] += count;
  for (const auto& [name, histogram] : other.histograms_) {
    auto found = histograms_.find(name);
    if (found == histograms_.end()) {
      histograms_[name] = histogram;
      continue;
    }
    PRNN_CHECK(found->second.lowers == histogram.lowers);
    for (size_t i = 0; i < histogram.counts.size(); ++i) {
      found->second.counts[i] += histogram.counts[i];
    }
  }
}

int64_t Statistics::counter(const std::string& name) const {
  auto found = counters_.find(name);
  return found == counters_.end() ? 0 : found->second;
}

int64_t Statistics::bucket(const std::string& name, double lower) const {
  auto found = histograms_.find(name);
  if (found == histograms_.end()) return 0;
  const auto& h = found->second;
  for (size_t i = 0; i < h.lowers.size(); ++i) {
    if (h.lowers[i] == lower) return h.counts[i];
  }
  return 0;
}

std::string Statistics::report() const {
  std::map<std::string, std::string> lines;
  for (const auto& [name, count] : counters_) lines[name] = name + ": " + std::to_string(count);
  for (const auto& [name, h] : histograms_) {
    std::string text = name + ":";
    for (size_t i = 0; i < h.lowers.size(); ++i) {
      if (h.counts[i] == 0) continue;
      const double upper =
          i + 1 < h.lowers.size() ? h.lowers[i + 1] : std::numeric_limits<double>::infinity();
      text += "\n  [" + bound_text(h.lowers[i]) + "," + bound_text(upper) +
              "): " + std::to_string(h.counts[i]);
    }
    lines[name] = text;
  }
  std::string report;
  for (const auto& [name, text] : lines) report += text + "\n";
  return report;
}

}  // namespace prnn
