// A stream of NoteSequences from a TFRecord file of serialized NoteSequences, or from
// music files (MIDI, MusicXML, ABC; converted on the fly, in parallel): one file, or a
// folder listed by list_music_files (music_file_listing.h; sub-folders with `recursive`).
//
// Every sequence, and every failure, is delivered to the caller in a fixed order (files
// sorted by relative path; records in file order), so runs are reproducible. A failure
// is one item naming the file (or the TFRecord file and the record's byte offset) and
// the reason; the caller counts it and goes on. The constructor throws InputError naming
// the path when it does not exist, when a folder holds no music files (saying how many
// sub-folders hold: "add --recursive"), or when a TFRecord file is empty (no records).
// Music files left in sub-folders of a folder that has its own are a logged warning.
//
// Threads: folders are converted by worker threads (one per core) at most `batch_size`
// files ahead of delivery; TFRecord records are parsed on OpenMP threads in batches.
// `visit` is always called on the calling thread, one item at a time, and may throw (the
// exception reaches the caller of for_each). Memory is bounded by one batch of files or
// records. A source is not itself thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "music/music_file.h"
#include "music/music_file_listing.h"
#include "proto/music.pb.h"

namespace prnn {

// One NoteSequence or one failure.
struct NoteSequenceItem {
  std::string path;                           // the music file, or the TFRecord file
  std::string relative_path;                  // music files: `path` relative to the listing's root
  uint64_t record_offset = 0;                 // TFRecord mode: byte offset of the record
  MusicFileType type = MusicFileType::kMidi;  // music files
  std::string abc_reference_number;           // ABC tunes: the tune's X: number
  bool ok = false;
  magenta::NoteSequence sequence;  // valid when ok
  std::string error;               // when !ok: names the file or record and the reason
};

class NoteSequenceSource {
 public:
  struct Options {
    bool recursive = false;  // a folder: also read its sub-folders
    MusicFileOptions music;  // passed to the readers
    int threads = 0;         // 0: OpenMP's default (all cores)
    size_t batch_size = 64;  // files (or records) converted between deliveries
  };

  // `path` is a music file (by its extension), a folder of them, or a TFRecord file of
  // NoteSequences.
  NoteSequenceSource(std::string path, Options options);

  // Music files (a folder or one file) rather than a TFRecord.
  bool reads_music_files() const { return reads_music_files_; }
  // Music files: the files that will be read and those left out.
  const MusicFileListing& listing() const { return listing_; }

  // Delivers every item in order; stops early when `visit` returns false.
  void for_each(const std::function<bool(NoteSequenceItem&)>& visit);

 private:
  void for_each_file(const std::function<bool(NoteSequenceItem&)>& visit);
  void for_each_record(const std::function<bool(NoteSequenceItem&)>& visit);

  std::string path_;
  Options options_;
  bool reads_music_files_ = false;
  MusicFileListing listing_;
};

}  // namespace prnn
