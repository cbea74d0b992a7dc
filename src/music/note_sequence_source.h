// A stream of NoteSequences from either a TFRecord file of serialized NoteSequences or a
// folder of music files (MIDI, MusicXML, ABC; converted on the fly, in parallel).
//
// Every sequence, and every failure, is delivered to the caller in a fixed order (files
// sorted by relative path; records in file order), so runs are reproducible. A failure
// is one item naming the file (or the TFRecord file and the record's byte offset) and
// the reason; the caller counts it and goes on. The only exception thrown is InputError
// when `path` is neither a directory nor a readable file.
//
// Threads: folders are converted by worker threads (one per core) at most `batch_size`
// files ahead of delivery; TFRecord records are parsed on OpenMP threads in batches.
// `visit` is always called on the calling thread, one item at a time, and may throw (the
// exception reaches the caller of for_each). Memory is bounded by one batch of files or
// records. A source is not itself thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "music/music_file.h"
#include "proto/music.pb.h"

namespace prnn {

// One NoteSequence or one failure.
struct NoteSequenceItem {
  std::string path;                           // the music file, or the TFRecord file
  std::string relative_path;                  // folder mode: `path` relative to the folder
  uint64_t record_offset = 0;                 // TFRecord mode: byte offset of the record
  MusicFileType type = MusicFileType::kMidi;  // folder mode
  std::string abc_reference_number;           // ABC tunes: the tune's X: number
  bool ok = false;
  magenta::NoteSequence sequence;  // valid when ok
  std::string error;               // when !ok: names the file or record and the reason
};

// The music files of a folder, sorted by relative path, and what was left out.
struct MusicFileListing {
  std::vector<std::string> relative_paths;
  // Unsupported files by lower-case extension ("" for none).
  std::map<std::string, int> skipped_by_extension;
};

// Throws InputError when `directory` cannot be listed.
MusicFileListing list_music_files(const std::string& directory, bool recursive);

class NoteSequenceSource {
 public:
  struct Options {
    bool recursive = false;  // folder mode: descend into sub-folders
    MusicFileOptions music;  // passed to the readers
    int threads = 0;         // 0: OpenMP's default (all cores)
    size_t batch_size = 64;  // files (or records) converted between deliveries
  };

  // `path` is a folder of music files or a TFRecord file of NoteSequences.
  NoteSequenceSource(std::string path, Options options);

  bool is_folder() const { return is_folder_; }
  // Folder mode: the files that will be read and those skipped.
  const MusicFileListing& listing() const { return listing_; }

  // Delivers every item in order; stops early when `visit` returns false.
  void for_each(const std::function<bool(NoteSequenceItem&)>& visit);

 private:
  void for_each_file(const std::function<bool(NoteSequenceItem&)>& visit);
  void for_each_record(const std::function<bool(NoteSequenceItem&)>& visit);

  std::string path_;
  Options options_;
  bool is_folder_ = false;
  MusicFileListing listing_;
};

}  // namespace prnn
