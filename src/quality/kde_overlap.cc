#include "quality/kde_overlap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace prnn {
namespace {

std::vector<double> finite(std::span<const double> values) {
  std::vector<double> out;
  for (double v : values)
    if (std::isfinite(v)) out.push_back(v);
  return out;
}

double deviation(const std::vector<double>& values) {
  double mean = 0;
  for (double v : values) mean += v / values.size();
  double sum = 0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / values.size());
}

double density(const std::vector<double>& sample, double h, double x) {
  double sum = 0;
  for (double v : sample) {
    const double z = (x - v) / h;
    sum += std::exp(-0.5 * z * z);
  }
  return sum / (sample.size() * h * std::sqrt(2 * std::numbers::pi));
}

}  // namespace

double kde_overlap(std::span<const double> a_values, std::span<const double> b_values) {
  const std::vector<double> a = finite(a_values), b = finite(b_values);
  if (a.empty() || b.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> pooled = a;
  pooled.insert(pooled.end(), b.begin(), b.end());
  const double pooled_sigma = deviation(pooled);
  if (pooled_sigma == 0) return 1.0;  // both constant and equal
  auto bandwidth = [&](const std::vector<double>& s) {
    const double sigma = deviation(s);
    return sigma > 0 ? 1.06 * sigma * std::pow(static_cast<double>(s.size()), -0.2)
                     : 0.05 * pooled_sigma;
  };
  const double ha = bandwidth(a), hb = bandwidth(b);
  const auto [low, high] = std::minmax_element(pooled.begin(), pooled.end());
  const double margin = 6 * std::max(ha, hb);
  const double from = *low - margin, to = *high + margin;
  const double step_limit = std::min(ha, hb) / 4;
  const int points =
      static_cast<int>(std::clamp(std::ceil((to - from) / step_limit), 2048.0, 400000.0));
  const double dx = (to - from) / points;
  double area = 0;
  for (int i = 0; i <= points; ++i) {
    const double x = from + i * dx;
    const double m = std::min(density(a, ha, x), density(b, hb, x));
    area += (i == 0 || i == points ? 0.5 : 1.0) * m * dx;
  }
  return std::min(area, 1.0);
}

}  // namespace prnn
