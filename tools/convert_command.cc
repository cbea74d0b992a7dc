// `performance_rnn convert` (also installed as convert_dir_to_note_sequences): Magenta's
// converter of a folder of MIDI, MusicXML and ABC files into one TFRecord of NoteSequences.
#include <cstdio>
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "cli/progress.h"
#include "music/directory_converter.h"

namespace prnn {
namespace {

int convert_main(int argc, char** argv) {
  DirectoryConversionOptions options;
  std::string log = "INFO";
  FlagSet flags("convert_dir_to_note_sequences",
                "Converts the MIDI (.mid .midi), MusicXML (.xml .musicxml .mxl) and ABC (.abc) "
                "files of a folder into one TFRecord file of NoteSequence protos.");
  flags.add("input_dir", &options.input_dir, "Directory containing files to convert.");
  flags.add("output_file", &options.output_file,
            "Path to output TFRecord file. Will be overwritten if it already exists.");
  flags.add("recursive", &options.recursive, "Whether or not to recurse into subdirectories.");
  flags.add("unroll_repeats", &options.music.unroll_repeats,
            "MusicXML: play repeats and volta endings out as performed (note_seq never did).");
  flags.add("log", &log,
            "The threshold for what messages will be logged DEBUG, INFO, WARN, ERROR, or FATAL.");
  if (!flags.parse(argc, argv)) return 0;
  if (!flags.positional().empty())
    throw UsageError("unexpected argument '" + flags.positional()[0] + "'");
  if (options.input_dir.empty()) throw UsageError("--input_dir is required");
  if (options.output_file.empty()) throw UsageError("--output_file is required");
  set_log_level(log);

  log_info("Converting files in '" + options.input_dir + "'" +
           (options.recursive ? " and its subfolders." : "."));
  const bool show_progress = log_level() <= LogLevel::kInfo;
  ProgressReporter* progress = nullptr;
  DirectoryConversionCallbacks callbacks;
  callbacks.on_progress = [&](uint64_t done, uint64_t total) {
    if (!show_progress) return;
    static ProgressReporter reporter("files", total);
    progress = &reporter;
    reporter.update(done);
  };
  callbacks.on_failure = [](const std::string& message) { log_warn("skipped: " + message); };
  callbacks.on_converted = [](const std::string& path, uint64_t sequences) {
    log_debug("converted " + path + " (" + std::to_string(sequences) + " sequence" +
              (sequences == 1 ? ")" : "s)"));
  };
  DirectoryConversionSummary summary = convert_directory(options, callbacks);
  if (progress) progress->finish();

  std::string report = "Converted " + std::to_string(summary.files_converted) + " of " +
                       std::to_string(summary.files_total) + " music files into " +
                       std::to_string(summary.sequences_written) + " NoteSequences";
  report += summary.sequences_written
                ? " in " + options.output_file + "."
                : "; nothing written: no music file of " + options.input_dir + " converted.";
  if (summary.failures) {
    report += "\n  failed: " + std::to_string(summary.failures);
    for (const auto& [reason, count] : summary.failures_by_reason) {
      report += "\n    " + std::to_string(count) + " x " + reason;
    }
  }
  if (!summary.skipped_by_extension.empty()) {
    report += "\n  skipped (no converter):";
    for (const auto& [extension, count] : summary.skipped_by_extension) {
      report += " " + std::to_string(count) +
                (extension.empty() ? " without extension" : " ." + extension);
    }
  }
  std::fprintf(stderr, "%s\n", report.c_str());
  return summary.sequences_written > 0 ? 0 : 1;
}

}  // namespace
}  // namespace prnn

using prnn::convert_main;
PRNN_COMMAND("convert",
             "convert a folder of MIDI, MusicXML and ABC files to a TFRecord of NoteSequences",
             convert_main);
