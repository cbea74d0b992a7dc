// `performance_rnn compare --generated=DIR --reference=DIR`: how alike generated and real
// performances are, per 30 s window, in the features of Yang & Lerch (2020)
// (src/quality/feature_comparison.h). Prints a table, or with --json one JSON object.
#include <algorithm>
#include <cstdio>
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "quality/feature_comparison.h"

namespace prnn {
namespace {

int compare_main(int argc, char** argv) {
  std::string generated, reference, exclude, log_level = "INFO";
  bool json = false, recursive = false;
  FeatureOptions options;
  FlagSet flags("performance_rnn compare",
                "Compares generated with real performances per 30 s window: notes/s, pitch "
                "range, mean pitch, pitch-class entropy, inter-onset interval, note length, "
                "polyphony, velocity, share of notes cut at the maximum duration; for each the "
                "overlapping area of the two distributions and, as the ceiling, that of two "
                "halves of the reference.");
  flags.add("generated", &generated, "folder of generated MIDI files");
  flags.add("reference", &reference, "folder of real performances (MIDI, MusicXML, ABC)");
  flags.add("exclude", &exclude,
            "skip files whose relative path matches this regular expression (e.g. "
            "'midi_score\\.mid$')");
  flags.add("recursive", &recursive, "also read the folders' sub-folders");
  flags.add("window_seconds", &options.window_seconds, "window length in seconds");
  flags.add("max_note_duration", &options.max_note_duration,
            "the generator's longest note in seconds (for max_duration_share)");
  flags.add("json", &json, "print the JSON report instead of the table");
  flags.add("log", &log_level, "log level: DEBUG, INFO, WARN, ERROR, FATAL");
  if (!flags.parse(argc, argv)) return 0;
  set_log_level(log_level);
  if (generated.empty() || reference.empty()) {
    throw UsageError("--generated and --reference are required");
  }
  if (!(options.window_seconds > 0)) throw UsageError("--window_seconds must be > 0");
  options.min_window_seconds = std::min(options.min_window_seconds, options.window_seconds);
  const FeatureSet g = read_feature_set(generated, options, exclude, recursive);
  const FeatureSet r = read_feature_set(reference, options, exclude, recursive);
  for (const FeatureSet* set : {&g, &r}) {
    for (const std::string& failure : set->failed) log_warn("left out: " + failure);
  }
  const FeatureComparison comparison = compare_feature_sets(g, r);
  if (json) {
    std::printf("%s\n", comparison_json(comparison, g, r).dump(2).c_str());
  } else {
    std::printf("%d generated files (%zu windows) against %d reference files (%zu windows)\n",
                g.files, g.windows.size(), r.files, r.windows.size());
    std::printf("%s", comparison_table(comparison).c_str());
  }
  return 0;
}

}  // namespace

PRNN_COMMAND("compare", "compare generated with real performances (Yang & Lerch features)",
             compare_main);

}  // namespace prnn
