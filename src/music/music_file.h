// Reading any supported music file into NoteSequences, dispatched by file extension
// (case-insensitive): .mid/.midi → MIDI; .xml/.musicxml/.mxl → MusicXML; .abc → ABC.
//
// A MIDI or MusicXML file gives one NoteSequence; an ABC tunebook gives one per tune
// (tunes that fail are listed in `errors` while the others are kept). The sequences
// carry what the readers set (notes, tempos, source_info, ...); id, filename and
// collection_name are left to the caller (see the converter).
//
// Failure: a file that cannot be read or converted at all throws InputError naming the
// file and the reason. Thread safety: pure functions, callable from many threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/music.pb.h"

namespace prnn {

enum class MusicFileType { kMidi, kMusicXml, kAbc };

// "midi", "musicxml" or "abc": the type's name in Magenta's NoteSequence ids.
const char* music_file_type_name(MusicFileType type);

// The type of `path` by its extension, or nullopt when the extension is not supported.
std::optional<MusicFileType> music_file_type(std::string_view path);

struct MusicFileOptions {
  bool unroll_repeats = false;  // MusicXML: play repeats out (note_seq never did)
};

struct MusicFileContents {
  MusicFileType type = MusicFileType::kMidi;
  std::vector<magenta::NoteSequence> sequences;
  // ABC only: the X: reference number of each sequence (parallel to `sequences`).
  std::vector<std::string> abc_reference_numbers;
  // ABC only: tunes that could not be converted, each message naming file and reason.
  std::vector<std::string> errors;
};

// Reads `path`, whose type is known from its extension. REQUIRES: music_file_type(path).
MusicFileContents read_music_file(const std::string& path, const MusicFileOptions& options = {});

// Converts file contents already in memory; `source_name` is used in error messages.
MusicFileContents read_music_bytes(std::string_view bytes, MusicFileType type,
                                   const std::string& source_name,
                                   const MusicFileOptions& options = {});

}  // namespace prnn
