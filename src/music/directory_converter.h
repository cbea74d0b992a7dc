// The work of Magenta's convert_dir_to_note_sequences: every MIDI, MusicXML and ABC file
// of a folder (sub-folders too with `recursive`; see music_file_listing.h) becomes NoteSequences in
// one TFRecord file, each with
//   filename        = the path relative to the folder,
//   collection_name = the folder's base name,
//   id              = /id/<midi|musicxml|abc>/<collection>/<sha1 of filename>
//                     (ABC tunes: sha1 of "<filename>_<X reference number>"),
//   source_info     = as the readers set it.
// Files (or ABC tunes) that fail are reported through `on_failure` and counted by reason;
// files with other extensions are counted by extension. Sequences are written in sorted
// file order, converted in parallel (OpenMP, all cores). The output is atomic and only
// written when at least one sequence converted.
//
// Failure: InputError when `input_dir` is not a folder, cannot be listed or holds no music
// files (list_music_files), or when the output cannot be written.
// Not thread-safe itself (it runs its own threads).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "music/music_file.h"

namespace prnn {

struct DirectoryConversionOptions {
  std::string input_dir;
  std::string output_file;
  bool recursive = false;
  MusicFileOptions music;
};

struct DirectoryConversionSummary {
  uint64_t files_total = 0;      // music files found
  uint64_t files_converted = 0;  // files that gave at least one sequence
  uint64_t sequences_written = 0;
  uint64_t failures = 0;     // failed files and failed ABC tunes
  uint64_t input_bytes = 0;  // size of the music files read
  uint64_t output_bytes = 0;
  std::map<std::string, uint64_t> failures_by_reason;
  std::map<std::string, int> skipped_by_extension;
};

// /id/<type>/<collection>/<sha1 hex of filename>, as Magenta's generate_note_sequence_id.
std::string note_sequence_id(const std::string& filename, const std::string& collection_name,
                             MusicFileType type);

// A failure message reduced to its kind, for the summary: the reader's last clause with
// numbers replaced by N, prefixed with the file type ("midi: truncated ...").
std::string failure_reason(MusicFileType type, const std::string& message);

struct DirectoryConversionCallbacks {
  std::function<void(uint64_t files_done, uint64_t files_total)> on_progress;
  std::function<void(const std::string& message)> on_failure;
  std::function<void(const std::string& path, uint64_t sequences)> on_converted;
};

DirectoryConversionSummary convert_directory(const DirectoryConversionOptions& options,
                                             const DirectoryConversionCallbacks& callbacks = {});

}  // namespace prnn
