// Writing the renderings of a NoteSequence beside its MIDI file: BASE.wav, BASE.svg and
// BASE.png, where BASE is the MIDI path without its extension. Used by `performance_rnn
// render` and by `generate --render`. Each file is written atomically; an error (bad
// sequence, soundfont, disk) throws InputError naming the file, and leaves no partial file.
#pragma once

#include <string>
#include <vector>

#include "proto/music.pb.h"
#include "render/wav_renderer.h"

namespace prnn {

struct RenderRequest {
  bool wav = false, svg = false, png = false;
  WavOptions wav_options;
  bool any() const { return wav || svg || png; }
};

// "wav,svg,png" (any subset, comma-separated) → the formats; UsageError naming `flag` for
// anything else. An empty text asks for nothing.
RenderRequest parse_render_formats(const std::string& text, const std::string& flag);

// Returns the paths written. `source` names the sequence in errors.
std::vector<std::string> render_beside(const magenta::NoteSequence& sequence,
                                       const std::string& source, const std::string& base,
                                       const RenderRequest& request);

}  // namespace prnn
