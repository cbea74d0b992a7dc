#include "render/render_input.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace prnn {
namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

void check_byte(const std::string& where, const char* what, int value) {
  if (value < 0 || value > 127)
    throw InputError(where + ": " + what + " " + std::to_string(value) + " is outside 0..127");
}

void check_time(const std::string& where, const char* what, double value) {
  if (!std::isfinite(value) || value < 0)
    throw InputError(where + ": " + what + " " + number(value) + " is not a time >= 0");
  if (value > kMaxRenderSeconds)
    throw InputError(where + ": " + what + " " + number(value) + " s is beyond the " +
                     number(kMaxRenderSeconds) + " s a rendering may last");
}

}  // namespace

void check_renderable(const magenta::NoteSequence& sequence, const std::string& source) {
  for (int i = 0; i < sequence.notes_size(); ++i) {
    const auto& note = sequence.notes(i);
    const std::string where = source + ": note " + std::to_string(i);
    check_byte(where, "pitch", note.pitch());
    check_byte(where, "velocity", note.velocity());
    check_byte(where, "program", note.program());
    check_time(where, "start_time", note.start_time());
    check_time(where, "end_time", note.end_time());
    if (note.end_time() < note.start_time()) {
      throw InputError(where + ": end_time " + number(note.end_time()) + " is before start_time " +
                       number(note.start_time()));
    }
  }
  for (int i = 0; i < sequence.control_changes_size(); ++i) {
    const auto& change = sequence.control_changes(i);
    const std::string where = source + ": control change " + std::to_string(i);
    check_time(where, "time", change.time());
    check_byte(where, "control_number", change.control_number());
    check_byte(where, "control_value", change.control_value());
  }
}

double music_end_time(const magenta::NoteSequence& sequence) {
  double end = 0;
  for (const auto& note : sequence.notes()) end = std::max(end, note.end_time());
  for (const auto& change : sequence.control_changes()) end = std::max(end, change.time());
  return end;
}

}  // namespace prnn
