// `performance_rnn dump FILE...`: prints the NoteSequences of a TFRecord, MIDI, MusicXML or
// ABC file (or of a folder of music files) as JSON, one object per line, in the proto3
// JSON mapping. Failures (also a folder without music files, an empty TFRecord) go to
// stderr and the other arguments are still dumped; the exit status is 1 if anything failed.
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "cli/command.h"
#include "music/note_sequence_source.h"

namespace prnn {
namespace {

void print_json(const magenta::NoteSequence& sequence, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(sequence, &json, options);
  PRNN_CHECK(status.ok());
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  std::fwrite(json.data(), 1, json.size(), stdout);
}

int dump_main(int argc, char** argv) {
  bool unroll_repeats = false;
  bool recursive = false;
  bool pretty = false;
  FlagSet flags("performance_rnn dump FILE...",
                "Prints the NoteSequences of a TFRecord, MIDI, MusicXML or ABC file (or a folder "
                "of music files) as JSON, one object per line.");
  flags.add("unroll_repeats", &unroll_repeats, "MusicXML: play repeats out");
  flags.add("recursive", &recursive, "for a folder: descend into sub-folders");
  flags.add("pretty", &pretty, "indent the JSON");
  if (!flags.parse(argc, argv)) return 0;
  if (flags.positional().empty()) throw UsageError("expected at least one FILE argument");

  MusicFileOptions music;
  music.unroll_repeats = unroll_repeats;
  int failures = 0;
  for (const std::string& path : flags.positional()) {
    // One bad argument is reported and the others are still dumped.
    try {
      NoteSequenceSource::Options options;
      options.recursive = recursive;
      options.music = music;
      NoteSequenceSource source(path, options);
      source.for_each([&](NoteSequenceItem& item) {
        if (item.ok) {
          print_json(item.sequence, pretty);
        } else {
          std::fprintf(stderr, "dump: %s\n", item.error.c_str());
          ++failures;
        }
        return true;
      });
    } catch (const InputError& e) {
      std::fprintf(stderr, "dump: %s\n", e.what());
      ++failures;
    }
  }
  std::fflush(stdout);
  return failures ? 1 : 0;
}

}  // namespace
}  // namespace prnn

using prnn::dump_main;
PRNN_COMMAND("dump", "print the NoteSequences of a TFRecord, MIDI, MusicXML or ABC file as JSON",
             dump_main);
