#include "render/render_files.h"

#include <sstream>

#include "base/error.h"
#include "base/file.h"
#include "render/piano_roll_png.h"
#include "render/piano_roll_svg.h"

namespace prnn {

RenderRequest parse_render_formats(const std::string& text, const std::string& flag) {
  RenderRequest request;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item == "wav") {
      request.wav = true;
    } else if (item == "svg") {
      request.svg = true;
    } else if (item == "png") {
      request.png = true;
    } else {
      throw UsageError("--" + flag + "=" + text + ": '" + item +
                       "' is not a format (use wav, svg, png, comma-separated)");
    }
  }
  return request;
}

std::vector<std::string> render_beside(const magenta::NoteSequence& sequence,
                                       const std::string& source, const std::string& base,
                                       const RenderRequest& request) {
  std::vector<std::string> written;
  // The WAV first: it checks the sequence and the soundfont, so when it fails nothing is
  // written; the pictures cannot fail on what it accepted (only on the disk).
  if (request.wav) {
    render_wav_file(sequence, source, base + ".wav", request.wav_options);
    written.push_back(base + ".wav");
  }
  if (request.svg) {
    write_file_atomic(base + ".svg", piano_roll_svg(sequence, source));
    written.push_back(base + ".svg");
  }
  if (request.png) {
    write_file_atomic(base + ".png", piano_roll_png(sequence, source));
    written.push_back(base + ".png");
  }
  return written;
}

}  // namespace prnn
