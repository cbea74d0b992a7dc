#include "generate/control_flags.h"

#include <algorithm>
#include <map>

#include "base/error.h"
#include "generate/literal_list.h"

namespace prnn {
namespace {

using Kind = LiteralValue::Kind;

std::vector<LiteralValue> as_list(const LiteralValue& value) {
  return value.kind == Kind::kList ? value.items : std::vector<LiteralValue>{value};
}

std::optional<int> tonic(std::string name) {
  static const std::map<std::string, int> tonics = {
      {"c", 0},       {"c#", 1},      {"c_sharp", 1}, {"db", 1},     {"d_flat", 1}, {"d", 2},
      {"d#", 3},      {"d_sharp", 3}, {"eb", 3},      {"e_flat", 3}, {"e", 4},      {"f", 5},
      {"f#", 6},      {"f_sharp", 6}, {"gb", 6},      {"g_flat", 6}, {"g", 7},      {"g#", 8},
      {"g_sharp", 8}, {"ab", 8},      {"a_flat", 8},  {"a", 9},      {"a#", 10},    {"a_sharp", 10},
      {"bb", 10},     {"b_flat", 10}, {"b", 11}};
  auto it = tonics.find(name);
  if (it == tonics.end()) return std::nullopt;
  return it->second;
}

const std::map<std::string, std::vector<int>>& scales() {
  static const std::map<std::string, std::vector<int>> table = {
      {"major", {0, 2, 4, 5, 7, 9, 11}},   {"minor", {0, 2, 3, 5, 7, 8, 10}},
      {"pentatonic", {0, 2, 4, 7, 9}},     {"blues", {0, 3, 5, 6, 7, 10}},
      {"whole_tone", {0, 2, 4, 6, 8, 10}}, {"chromatic", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}};
  return table;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void check_histogram(const PitchHistogram& h, const std::string& text) {
  double total = 0;
  for (double v : h) {
    if (v < 0) throw UsageError("--pitch_class_histogram=" + text + ": a weight is negative");
    total += v;
  }
  if (total <= 0) throw UsageError("--pitch_class_histogram=" + text + ": all weights are zero");
}

PitchHistogram histogram_from(const LiteralValue& value, const std::string& text) {
  if (value.kind == Kind::kName) {
    if (auto h = scale_histogram(value.name)) return *h;
    throw UsageError("--pitch_class_histogram=" + text + ": unknown scale '" + value.name + "' (" +
                     scale_names_help() + ")");
  }
  if (value.kind != Kind::kList || value.items.size() != kPitchClasses) {
    throw UsageError("--pitch_class_histogram=" + text +
                     ": a histogram is a list of 12 weights (C, C#, …, B) or a scale name; got " +
                     (value.kind == Kind::kList ? std::to_string(value.items.size()) + " values"
                                                : std::string("a single number")));
  }
  PitchHistogram h;
  for (int k = 0; k < kPitchClasses; ++k) {
    if (value.items[k].kind != Kind::kNumber) {
      throw UsageError("--pitch_class_histogram=" + text + ": weights must be numbers");
    }
    h[k] = value.items[k].number;
  }
  check_histogram(h, text);
  return h;
}

}  // namespace

std::optional<PitchHistogram> scale_histogram(const std::string& raw) {
  const std::string name = lower(raw);
  int root = 0;
  std::string scale = name;
  for (const auto& [scale_name, degrees] : scales()) {
    if (name.size() > scale_name.size() + 1 && name.ends_with("_" + scale_name)) {
      std::optional<int> t = tonic(name.substr(0, name.size() - scale_name.size() - 1));
      if (!t) return std::nullopt;
      root = *t;
      scale = scale_name;
      break;
    }
  }
  auto it = scales().find(scale);
  if (it == scales().end()) return std::nullopt;
  PitchHistogram h{};
  for (int degree : it->second) h[(root + degree) % kPitchClasses] = 1.0;
  return h;
}

std::string scale_names_help() {
  return "scales: <tonic>_major, _minor, _pentatonic, _blues, _whole_tone, _chromatic with tonic "
         "c, c#/db, d, d#/eb, e, f, f#/gb, g, g#/ab, a, a#/bb, b; e.g. c_major, f_major, "
         "d_minor, whole_tone, pentatonic";
}

std::vector<double> parse_note_densities(const std::string& text) {
  std::vector<double> out;
  for (const LiteralValue& item : as_list(parse_literal("notes_per_second", text))) {
    if (item.kind != Kind::kNumber) {
      throw UsageError("--notes_per_second=" + text + ": values must be numbers");
    }
    if (item.number <= 0) {
      throw UsageError("--notes_per_second=" + text + ": a density must be > 0 notes per second");
    }
    out.push_back(item.number);
  }
  if (out.empty()) throw UsageError("--notes_per_second=" + text + ": no value");
  return out;
}

std::vector<PitchHistogram> parse_pitch_histograms(const std::string& text) {
  LiteralValue value = parse_literal("pitch_class_histogram", text);
  // One histogram: a name, or a list of 12 numbers. Otherwise a list of histograms.
  const bool single =
      value.kind == Kind::kName ||
      (value.kind == Kind::kList && !value.items.empty() && value.items[0].kind == Kind::kNumber);
  std::vector<PitchHistogram> out;
  if (single) {
    out.push_back(histogram_from(value, text));
  } else {
    for (const LiteralValue& item : as_list(value)) out.push_back(histogram_from(item, text));
  }
  if (out.empty()) throw UsageError("--pitch_class_histogram=" + text + ": no value");
  return out;
}

std::vector<bool> parse_disable_conditioning(const std::string& text) {
  std::vector<bool> out;
  for (const LiteralValue& item : as_list(parse_literal("disable_conditioning", text))) {
    const std::string name = lower(item.name);
    if (item.kind != Kind::kName || (name != "true" && name != "false")) {
      throw UsageError("--disable_conditioning=" + text + ": values must be True or False");
    }
    out.push_back(name == "true");
  }
  if (out.empty()) throw UsageError("--disable_conditioning=" + text + ": no value");
  return out;
}

}  // namespace prnn
