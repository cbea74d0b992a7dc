// NoteSequence → WAV through FluidSynth's C API (no MIDI file in between).
//
// The notes, program changes and control changes (sustain pedal included) of the sequence
// are played on a FluidSynth synthesizer at the exact sample of their time: one MIDI channel
// per (instrument, program, is_drum) group (channel 9 for drums, the others 0-8, 10-15,
// shared round-robin beyond 15 groups); a control change goes to the channels of its
// instrument. At the music's end every channel's sustain is lifted and its notes released,
// and `release_seconds` more are rendered so that the piano's release and the reverb die
// away. Output: 16-bit PCM stereo at `sample_rate`, samples = round((end + release) · rate).
// Rendering is deterministic (one synthesis thread; the same input gives the same bytes).
//
// The soundfont is `soundfont`, or default_soundfont() when empty. Failure: InputError for
// an unrenderable sequence (render_input.h), a soundfont that is missing or that FluidSynth
// cannot load (its reason quoted), or a write error. Thread safety: FluidSynth's log hook is
// process-wide; concurrent renders are safe (each has its own synthesizer) but may mix their
// diagnostic messages.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "proto/music.pb.h"

namespace prnn {

struct WavOptions {
  std::string soundfont;  // empty = default_soundfont()
  int sample_rate = 44100;
  double release_seconds = 2.0;
  double gain = 1.0;  // FluidSynth's master gain (its default 0.2 is quiet for solo piano)
  // Called now and then with the seconds rendered so far and the total.
  std::function<void(double done, double total)> progress;
};

// Debian's timgm6mb-soundfont (what note_seq and pretty_midi use): $PRNN_SOUNDFONT if set,
// else /usr/share/sounds/sf2/TimGM6mb.sf2.
std::string default_soundfont();

// Throws the InputError render_wav would throw for `soundfont` (missing or not loadable), so
// that a job can fail before it writes anything.
void check_soundfont(const std::string& soundfont);

// Streams the WAV file's bytes (header first) to `sink`; `source` names the sequence in
// errors. Returns the number of sample frames.
int64_t render_wav(const magenta::NoteSequence& sequence, const std::string& source,
                   const WavOptions& options, const std::function<void(std::string_view)>& sink);

// The whole WAV file in memory.
std::string render_wav_bytes(const magenta::NoteSequence& sequence, const std::string& source,
                             const WavOptions& options = {});

// Writes the WAV file atomically: on any error no file (and no partial file) is left.
void render_wav_file(const magenta::NoteSequence& sequence, const std::string& source,
                     const std::string& path, const WavOptions& options = {});

}  // namespace prnn
