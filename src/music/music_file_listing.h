// The music files of a path, as every command that reads music files sees them
// (convert, create_dataset --input, train --note_sequence_file, evaluate, dump).
//
// A path with a music extension (.mid .midi .xml .musicxml .mxl .abc, any case; see
// music_file.h) is that one file. A folder gives its music files; with `recursive`
// (Magenta's --recursive, default false as in convert_dir_to_note_sequences) those of
// its sub-folders too. Files are sorted by relative path (byte order), so every command
// reads them in the same order. Without `recursive`, the music files in sub-folders are
// counted, so an empty answer can say where the music is.
//
// Failure: InputError naming the path when it does not exist, cannot be listed, or
// holds no music file: "DIR holds no music files (412 more in sub-folders: add
// --recursive)". A listing is never empty. Thread safety: a pure function.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace prnn {

struct MusicFileListing {
  // The folder the relative paths start from: the folder itself, or a single file's
  // parent ("" for a bare file name).
  std::string root;
  bool is_folder = false;
  std::vector<std::string> relative_paths;  // sorted; a single file: its base name
  // Other files of the folders read, by lower-case extension ("" for none).
  std::map<std::string, int> skipped_by_extension;
  // Not recursive: music files in sub-folders, not listed.
  int64_t in_subfolders = 0;

  std::string path_of(const std::string& relative) const;
};

MusicFileListing list_music_files(const std::string& path, bool recursive);

}  // namespace prnn
