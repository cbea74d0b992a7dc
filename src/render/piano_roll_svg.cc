#include "render/piano_roll_svg.h"

#include <cstdio>

namespace prnn {
namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format(const char* pattern, double a, double b, double c, double d) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, pattern, a, b, c, d);
  return buffer;
}

}  // namespace

std::string piano_roll_svg(const PianoRoll& roll) {
  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(roll.width) +
         "\" height=\"" + std::to_string(roll.height) + "\" viewBox=\"0 0 " +
         std::to_string(roll.width) + " " + std::to_string(roll.height) + "\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  for (const RollRect& r : roll.rects) {
    char colour[16];
    std::snprintf(colour, sizeof colour, "#%06x", r.rgb);
    out += "<rect";
    if (r.is_note) out += " class=\"note\"";
    if (r.is_pedal) out += " class=\"pedal\"";
    out += format(" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", r.x, r.y, r.width,
                  r.height);
    out += std::string(" fill=\"") + colour + "\"";
    if (r.opacity < 1) out += format(" fill-opacity=\"%.3f\"", r.opacity, 0, 0, 0);
    if (r.title.empty()) {
      out += "/>\n";
    } else {
      out += "><title>" + escape(r.title) + "</title></rect>\n";
    }
  }
  static const char* anchors[] = {"start", "middle", "end"};
  for (const RollText& t : roll.texts) {
    out += format("<text x=\"%.2f\" y=\"%.2f\"", t.x, t.y, 0, 0);
    out += std::string(" text-anchor=\"") + anchors[t.anchor] + "\" font-family=\"sans-serif\"" +
           " font-size=\"" + std::to_string(kRollFontSize) + "\" fill=\"#444444\">" +
           escape(t.text) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

std::string piano_roll_svg(const magenta::NoteSequence& sequence, const std::string& source) {
  return piano_roll_svg(layout_piano_roll(sequence, source));
}

}  // namespace prnn
