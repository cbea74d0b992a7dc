// `performance_rnn render FILE.mid...`: audio and piano rolls of music files, written beside
// each input (NAME.wav, NAME.svg, NAME.png; --output_dir to put them elsewhere). WAV is
// synthesised by FluidSynth straight from the NoteSequence (render/wav_renderer.h). A file
// that fails is reported with its reason and the others go on; the exit status is 1 if any
// failed.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "cli/command.h"
#include "cli/progress.h"
#include "music/music_file.h"
#include "render/render_files.h"

namespace prnn {
namespace {

constexpr auto kQuietRender = std::chrono::seconds(3);

int render_main(int argc, char** argv) {
  RenderRequest request;
  std::string output_dir;
  FlagSet flags("performance_rnn render FILE.mid...",
                "Renders music files (MIDI, MusicXML, ABC) as WAV audio (FluidSynth) and as piano "
                "rolls (SVG, PNG). With none of --wav, --svg, --png: WAV and SVG.");
  flags.add("wav", &request.wav, "write NAME.wav (16-bit stereo)");
  flags.add("svg", &request.svg, "write NAME.svg (piano roll)");
  flags.add("png", &request.png, "write NAME.png (piano roll)");
  request.wav_options.soundfont = default_soundfont();
  flags.add("soundfont", &request.wav_options.soundfont, "a .sf2 or .sf3 SoundFont");
  flags.add("sample_rate", &request.wav_options.sample_rate, "samples per second");
  flags.add("release_seconds", &request.wav_options.release_seconds,
            "audio rendered after the music ends (release and reverb tail)");
  flags.add("gain", &request.wav_options.gain, "FluidSynth's master gain");
  flags.add("output_dir", &output_dir, "where to write (default: beside each input)");
  if (!flags.parse(argc, argv)) return 0;
  if (flags.positional().empty()) throw UsageError("expected at least one FILE argument");
  if (!request.any()) request.wav = request.svg = true;
  if (!output_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(output_dir, error);
    if (error) throw UsageError("--output_dir=" + output_dir + ": " + error.message());
  }

  // A bad soundfont fails every file: one error, before anything is written.
  if (request.wav) check_soundfont(request.wav_options.soundfont);
  int failures = 0;
  for (const std::string& path : flags.positional()) {
    try {
      if (!music_file_type(path))
        throw InputError(path +
                         ": not a music file (expected .mid, .midi, .xml, .musicxml, "
                         ".mxl or .abc)");
      MusicFileContents contents = read_music_file(path);
      for (const std::string& error : contents.errors) {
        std::fprintf(stderr, "render: %s\n", error.c_str());
        ++failures;
      }
      std::filesystem::path base = std::filesystem::path(path).replace_extension();
      if (!output_dir.empty()) base = std::filesystem::path(output_dir) / base.filename();
      for (size_t i = 0; i < contents.sequences.size(); ++i) {
        std::string name = base.string();
        if (contents.sequences.size() > 1) name += "_" + contents.abc_reference_numbers[i];
        RenderRequest file_request = request;
        // A progress line only for renders that take a while.
        std::optional<ProgressReporter> progress;
        const auto started = std::chrono::steady_clock::now();
        file_request.wav_options.progress = [&](double done, double total) {
          if (!progress && std::chrono::steady_clock::now() - started < kQuietRender) return;
          if (!progress) progress.emplace("seconds of audio", static_cast<uint64_t>(total));
          progress->update(static_cast<uint64_t>(done));
        };
        const std::vector<std::string> written =
            render_beside(contents.sequences[i], path, name, file_request);
        if (progress) progress->finish();
        for (const std::string& file : written) std::printf("%s\n", file.c_str());
      }
    } catch (const UsageError&) {
      throw;
    } catch (const InputError& error) {
      std::fprintf(stderr, "render: %s\n", error.what());
      ++failures;
    }
  }
  std::fflush(stdout);
  return failures ? 1 : 0;
}

}  // namespace
}  // namespace prnn

using prnn::render_main;
PRNN_COMMAND("render", "render music files as WAV audio (FluidSynth) and piano rolls (SVG, PNG)",
             render_main);
