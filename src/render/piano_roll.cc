#include "render/piano_roll.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "render/render_input.h"

namespace prnn {
namespace {

constexpr double kPixelsPerSecond = 40;
constexpr double kMinPlotWidth = 640, kMaxPlotWidth = 2400;
constexpr double kPlotHeight = 360;
constexpr double kMinRow = 3, kMaxRow = 10;
constexpr double kLeft = 44, kRight = 16, kTop = 12;
constexpr double kLaneGap = 8, kLaneHeight = 14, kBottom = 30;
constexpr int kSustainPedal = 64;

constexpr uint32_t kAxis = 0x444444, kGrid = 0xdddddd, kFrame = 0xf7f7f7;
// Category10, the palette of note_seq's Bokeh plots.
constexpr uint32_t kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

uint32_t instrument_colour(int instrument) {
  const int n = static_cast<int>(std::size(kPalette));
  return kPalette[((instrument % n) + n) % n];
}

// "12 s", or "1:30" (minutes) on the axis of a performance of two minutes or more.
std::string seconds_label(double t, bool minutes) {
  char buffer[32];
  if (minutes) {
    const int s = static_cast<int>(std::lround(t));
    std::snprintf(buffer, sizeof buffer, "%d:%02d", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%g s", t);
  }
  return buffer;
}

// The smallest "nice" tick step that leaves at least 70 px between ticks.
double tick_step(double pixels_per_second) {
  for (double step : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0})
    if (step * pixels_per_second >= 70) return step;
  return 3600;
}

}  // namespace

std::string pitch_name(int pitch) {
  static const char* names[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  return names[pitch % 12] + std::to_string(pitch / 12 - 1);
}

PianoRoll layout_piano_roll(const magenta::NoteSequence& sequence, const std::string& source) {
  check_renderable(sequence, source);
  const double duration = std::max(1.0, music_end_time(sequence));
  const double plot_width = std::clamp(duration * kPixelsPerSecond, kMinPlotWidth, kMaxPlotWidth);
  const double px = plot_width / duration;

  int low = 127, high = 0;
  for (const auto& note : sequence.notes()) {
    low = std::min(low, note.pitch());
    high = std::max(high, note.pitch());
  }
  if (sequence.notes_size() == 0) low = high = 60;
  low = low / 12 * 12;
  high = std::min(127, high / 12 * 12 + 11);
  if (high - low < 23) {  // at least two octaves
    if (high + 12 <= 127) {
      high += 12;
    } else {
      low = std::max(0, low - 12);
    }
  }
  const int rows = high - low + 1;
  const double row = std::clamp(kPlotHeight / rows, kMinRow, kMaxRow);
  const double roll_height = row * rows;
  const double lane_top = kTop + roll_height + kLaneGap;
  const double axis_y = lane_top + kLaneHeight;

  PianoRoll roll;
  roll.width = static_cast<int>(std::ceil(kLeft + plot_width + kRight));
  roll.height = static_cast<int>(std::ceil(axis_y + kBottom));
  auto add = [&](double x, double y, double w, double h, uint32_t rgb) {
    roll.rects.push_back({x, y, w, h, rgb, 1.0, {}});
  };
  auto row_top = [&](int pitch) { return kTop + (high - pitch) * row; };

  // Frame, octave grid and labels.
  add(kLeft, kTop, plot_width, roll_height, kFrame);
  add(kLeft, lane_top, plot_width, kLaneHeight, kFrame);
  for (int pitch = low; pitch <= high; pitch += 12) {
    const double y = row_top(pitch) + row;  // the bottom edge of the C row
    add(kLeft, y - 0.5, plot_width, 1, kGrid);
    add(kLeft - 4, y - 0.5, 4, 1, kAxis);
    roll.texts.push_back({kLeft - 6, row_top(pitch) + row / 2 + 3.5,
                          pitch_name(pitch) + " " + std::to_string(pitch), RollText::kEnd});
  }
  const double step = tick_step(px);
  for (double t = 0; t <= duration + 1e-9; t += step) {
    const double x = kLeft + t * px;
    add(x - 0.5, kTop, 1, roll_height, kGrid);
    add(x - 0.5, axis_y, 1, 4, kAxis);
    roll.texts.push_back({x, axis_y + 16, seconds_label(t, duration >= 120), RollText::kMiddle});
  }
  add(kLeft - 0.5, kTop, 1, axis_y - kTop, kAxis);
  add(kLeft - 0.5, axis_y - 0.5, plot_width + 0.5, 1, kAxis);
  roll.texts.push_back({kLeft - 6, lane_top + kLaneHeight / 2 + 3.5, "pedal", RollText::kEnd});

  // Sustain pedal intervals per instrument, in time order of the changes.
  std::map<int, std::vector<std::pair<double, bool>>> pedal;
  for (const auto& change : sequence.control_changes()) {
    if (change.control_number() == kSustainPedal)
      pedal[change.instrument()].push_back({change.time(), change.control_value() >= 64});
  }
  for (auto& [instrument, changes] : pedal) {
    std::stable_sort(changes.begin(), changes.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    double down_since = -1;
    auto close = [&](double t) {
      RollRect r{kLeft + down_since * px,
                 lane_top + 2,
                 std::max(1.0, (t - down_since) * px),
                 kLaneHeight - 4,
                 instrument_colour(instrument),
                 0.5,
                 {}};
      r.is_pedal = true;
      roll.rects.push_back(r);
      down_since = -1;
    };
    for (const auto& [time, down] : changes) {
      if (down && down_since < 0) down_since = time;
      if (!down && down_since >= 0) close(time);
    }
    if (down_since >= 0) close(duration);
  }

  // Notes, one bar each.
  for (const auto& note : sequence.notes()) {
    char title[128];
    std::snprintf(title, sizeof title, "pitch %d (%s), velocity %d, %.3f\xE2\x80\x93%.3f s",
                  note.pitch(), pitch_name(note.pitch()).c_str(), note.velocity(),
                  note.start_time(), note.end_time());
    RollRect r{kLeft + note.start_time() * px,
               row_top(note.pitch()),
               std::max(1.0, (note.end_time() - note.start_time()) * px),
               row,
               instrument_colour(note.instrument()),
               0.2 + 0.8 * note.velocity() / 127.0,
               title};
    r.is_note = true;
    roll.rects.push_back(r);
  }
  return roll;
}

}  // namespace prnn
