#include "quality/window_features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "music/sequences.h"

namespace prnn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Span {
  double start, end;
  int pitch, velocity;
};

std::vector<Span> spans(const magenta::NoteSequence& sequence) {
  std::vector<Span> out;
  for (const auto& note : sequence.notes()) {
    if (note.is_drum()) continue;
    out.push_back({note.start_time(), note.end_time(), note.pitch(), note.velocity()});
  }
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.pitch < b.pitch;
  });
  return out;
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? kNaN : sum / values.size();
}

double spread(const std::vector<double>& values) {
  const double m = mean(values);
  double sum = 0;
  for (double v : values) sum += (v - m) * (v - m);
  return values.empty() ? kNaN : std::sqrt(sum / values.size());
}

// Time-averaged count of sounding notes over the time at least one sounds, in [from, to).
double polyphony(const std::vector<Span>& notes, double from, double to) {
  std::vector<std::pair<double, int>> changes;
  for (const Span& n : notes) {
    const double s = std::max(n.start, from), e = std::min(n.end, to);
    if (e > s) {
      changes.push_back({s, +1});
      changes.push_back({e, -1});
    }
  }
  std::sort(changes.begin(), changes.end());
  double weighted = 0, sounding = 0, previous = from;
  int count = 0;
  for (const auto& [time, delta] : changes) {
    if (count > 0) {
      weighted += count * (time - previous);
      sounding += time - previous;
    }
    count += delta;
    previous = time;
  }
  return sounding > 0 ? weighted / sounding : kNaN;
}

}  // namespace

const char* feature_name(int feature) {
  static const char* const names[kNumFeatures] = {
      "notes_per_second",          "pitch_range",       "mean_pitch", "pitch_class_entropy",
      "mean_inter_onset_interval", "mean_note_length",  "polyphony",  "velocity_mean",
      "velocity_spread",           "max_duration_share"};
  return names[feature];
}

std::vector<WindowFeatures> window_features(const magenta::NoteSequence& sequence,
                                            const FeatureOptions& options) {
  const std::vector<Span> written = spans(sequence);
  const std::vector<Span> sustained = spans(apply_sustain_control_changes(sequence));
  double end = 0;
  for (const Span& n : sustained) end = std::max(end, n.end);
  std::vector<WindowFeatures> windows;
  for (int k = 0; k * options.window_seconds < end; ++k) {
    WindowFeatures w;
    w.start = k * options.window_seconds;
    w.seconds = std::min(options.window_seconds, end - w.start);
    if (k > 0 && w.seconds < options.min_window_seconds) break;
    const double to = w.start + options.window_seconds;
    auto in_window = [&](const Span& n) { return n.start >= w.start && n.start < to; };
    std::vector<Span> notes;
    for (const Span& n : sustained)
      if (in_window(n)) notes.push_back(n);
    if (notes.empty()) continue;
    std::vector<double> pitches, lengths, velocities;
    std::array<double, kPitchClasses> class_counts{};
    std::set<int64_t> onsets;  // 10 ms steps
    for (const Span& n : notes) {
      pitches.push_back(n.pitch);
      lengths.push_back(n.end - n.start);
      velocities.push_back(n.velocity);
      class_counts[n.pitch % kPitchClasses] += 1;
      onsets.insert(static_cast<int64_t>(std::llround(n.start * 100)));
    }
    double entropy = 0;
    for (double c : class_counts) {
      if (c > 0) entropy -= c / notes.size() * std::log2(c / notes.size());
    }
    double ioi = kNaN;
    if (onsets.size() > 1) ioi = (*onsets.rbegin() - *onsets.begin()) / 100.0 / (onsets.size() - 1);
    int at_max = 0, written_count = 0;
    for (const Span& n : written) {
      if (!in_window(n)) continue;
      ++written_count;
      if (options.max_note_duration > 0 && n.end - n.start >= options.max_note_duration - 0.005) {
        ++at_max;
      }
    }
    const auto [low, high] = std::minmax_element(pitches.begin(), pitches.end());
    w.values[kNotesPerSecond] = notes.size() / w.seconds;
    w.values[kPitchRange] = *high - *low;
    w.values[kMeanPitch] = mean(pitches);
    w.values[kPitchClassEntropy] = entropy;
    w.values[kMeanInterOnsetInterval] = ioi;
    w.values[kMeanNoteLength] = mean(lengths);
    w.values[kPolyphony] = polyphony(sustained, w.start, w.start + w.seconds);
    w.values[kVelocityMean] = mean(velocities);
    w.values[kVelocitySpread] = spread(velocities);
    w.values[kMaxDurationShare] = written_count ? static_cast<double>(at_max) / written_count : 0;
    for (const Span& n : sustained) {
      const double s = std::max(n.start, w.start), e = std::min(n.end, w.start + w.seconds);
      if (e > s) w.pitch_class_seconds[n.pitch % kPitchClasses] += e - s;
    }
    windows.push_back(w);
  }
  return windows;
}

double pearson_correlation(const PitchHistogram& a, const PitchHistogram& b) {
  double ma = 0, mb = 0;
  for (int i = 0; i < kPitchClasses; ++i) {
    ma += a[i] / kPitchClasses;
    mb += b[i] / kPitchClasses;
  }
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < kPitchClasses; ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : kNaN;
}

}  // namespace prnn
