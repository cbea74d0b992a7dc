#include "music/directory_converter.h"

#include <cctype>
#include <filesystem>

#include "base/error.h"
#include "base/file.h"
#include "base/sha1.h"
#include "music/note_sequence_source.h"
#include "base/tfrecord.h"

namespace prnn {
namespace {

// The folder's base name; trailing slashes are ignored (Python's os.path.basename would
// give "" for "dir/").
std::string collection_name_of(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return std::filesystem::path(dir).filename().string();
}

}  // namespace

std::string note_sequence_id(const std::string& filename, const std::string& collection_name,
                             MusicFileType type) {
  return std::string("/id/") + music_file_type_name(type) + "/" + collection_name + "/" +
         sha1_hex(filename);
}

std::string failure_reason(MusicFileType type, const std::string& message) {
  size_t clause = message.rfind(": ");
  std::string last = clause == std::string::npos ? message : message.substr(clause + 2);
  std::string reason = std::string(music_file_type_name(type)) + ": ";
  for (size_t i = 0; i < last.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(last[i]))) {
      while (i + 1 < last.size() && std::isdigit(static_cast<unsigned char>(last[i + 1]))) ++i;
      reason += 'N';
    } else {
      reason += last[i];
    }
  }
  return reason;
}

DirectoryConversionSummary convert_directory(const DirectoryConversionOptions& options,
                                             const DirectoryConversionCallbacks& callbacks) {
  NoteSequenceSource::Options source_options;
  source_options.recursive = options.recursive;
  source_options.music = options.music;
  std::error_code error;
  if (!std::filesystem::is_directory(options.input_dir, error)) {
    throw InputError(options.input_dir + ": not a folder");
  }
  NoteSequenceSource source(options.input_dir, source_options);

  DirectoryConversionSummary summary;
  const MusicFileListing& listing = source.listing();
  summary.skipped_by_extension = listing.skipped_by_extension;
  summary.files_total = listing.relative_paths.size();
  for (const auto& relative : listing.relative_paths) {
    std::error_code error;
    auto size = std::filesystem::file_size(listing.path_of(relative), error);
    if (!error) summary.input_bytes += size;
  }
  const std::string collection = collection_name_of(options.input_dir);

  TFRecordWriter writer(options.output_file);
  uint64_t files_done = 0;
  const std::string* current_file = nullptr;
  std::string current;
  uint64_t current_sequences = 0;
  auto finish_file = [&] {
    if (current_sequences > 0) {
      ++summary.files_converted;
      if (callbacks.on_converted) callbacks.on_converted(current, current_sequences);
    }
    ++files_done;
    if (callbacks.on_progress) callbacks.on_progress(files_done, summary.files_total);
  };
  source.for_each([&](NoteSequenceItem& item) {
    if (!current_file || item.relative_path != current) {
      if (current_file) finish_file();
      current = item.relative_path;
      current_file = &current;
      current_sequences = 0;
    }
    if (!item.ok) {
      ++summary.failures;
      ++summary.failures_by_reason[failure_reason(item.type, item.error)];
      if (callbacks.on_failure) callbacks.on_failure(item.error);
      return true;
    }
    magenta::NoteSequence& sequence = item.sequence;
    sequence.set_collection_name(collection);
    sequence.set_filename(item.relative_path);
    std::string hashed = item.type == MusicFileType::kAbc
                             ? item.relative_path + "_" + item.abc_reference_number
                             : item.relative_path;
    sequence.set_id(note_sequence_id(hashed, collection, item.type));
    writer.write(sequence.SerializeAsString());
    ++summary.sequences_written;
    ++current_sequences;
    return true;
  });
  if (current_file) finish_file();
  summary.output_bytes = writer.bytes_written();
  if (summary.sequences_written > 0) writer.close();
  return summary;
}

}  // namespace prnn
