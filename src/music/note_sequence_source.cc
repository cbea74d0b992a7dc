#include "music/note_sequence_source.h"

#include <omp.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "base/error.h"
#include "base/log.h"
#include "base/tfrecord.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

int thread_count(int requested) { return requested > 0 ? requested : omp_get_max_threads(); }

// Converts one file into its items (one per sequence, one per failed tune, or one
// failure for the whole file).
std::vector<NoteSequenceItem> convert_file(const MusicFileListing& listing,
                                           const std::string& relative,
                                           const MusicFileOptions& options) {
  std::vector<NoteSequenceItem> items;
  NoteSequenceItem base;
  base.path = listing.path_of(relative);
  base.relative_path = relative;
  base.type = *music_file_type(relative);
  try {
    MusicFileContents contents = read_music_file(base.path, options);
    for (size_t i = 0; i < contents.sequences.size(); ++i) {
      NoteSequenceItem& item = items.emplace_back(base);
      item.ok = true;
      item.sequence = std::move(contents.sequences[i]);
      if (i < contents.abc_reference_numbers.size()) {
        item.abc_reference_number = contents.abc_reference_numbers[i];
      }
    }
    for (std::string& error : contents.errors) {
      NoteSequenceItem& item = items.emplace_back(base);
      item.error = std::move(error);
    }
  } catch (const InputError& e) {
    // The file is bad (the error names it). Anything else (bad_alloc, a logic error) is
    // not this file's fault and goes on to the command's "internal error".
    NoteSequenceItem& item = items.emplace_back(base);
    item.error = e.what();
  }
  return items;
}

}  // namespace

NoteSequenceSource::NoteSequenceSource(std::string path, Options options)
    : path_(std::move(path)), options_(options) {
  std::error_code error;
  auto status = fs::status(path_, error);
  if (error || !fs::exists(status)) {
    throw InputError(path_ + ": no such file or folder");
  }
  reads_music_files_ = fs::is_directory(status) || music_file_type(path_);
  if (reads_music_files_) {
    listing_ = list_music_files(path_, options_.recursive);
    if (listing_.in_subfolders > 0) {
      log_warn("not reading " + std::to_string(listing_.in_subfolders) +
               " music files in sub-folders of " + path_ + " (add --recursive)");
    }
  } else if (fs::is_regular_file(status) && fs::file_size(path_, error) == 0 && !error) {
    throw InputError(path_ + ": empty file (a TFRecord of NoteSequences with no records)");
  }
  if (options_.batch_size == 0) options_.batch_size = 1;
}

void NoteSequenceSource::for_each(const std::function<bool(NoteSequenceItem&)>& visit) {
  if (reads_music_files_) {
    for_each_file(visit);
  } else {
    for_each_record(visit);
  }
}

void NoteSequenceSource::for_each_file(const std::function<bool(NoteSequenceItem&)>& visit) {
  // Reading and converting files is I/O and allocation bound, not a numeric kernel: plain
  // threads that block while waiting are used here instead of OpenMP, whose spinning
  // waits cost more than they save on a busy machine (see doc/midi.md). Workers claim
  // files in order and stay at most `window` files ahead of delivery.
  const auto& files = listing_.relative_paths;
  const size_t count = files.size();
  const size_t window = options_.batch_size;
  std::vector<std::vector<NoteSequenceItem>> results(count);
  std::vector<char> finished(count, 0);
  std::mutex mutex;
  std::condition_variable ready, room;
  size_t next = 0, delivered = 0;
  bool stop = false;
  auto work = [&] {
    while (true) {
      size_t i;
      {
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return stop || next >= count || next < delivered + window; });
        if (stop || next >= count) return;
        i = next++;
      }
      std::vector<NoteSequenceItem> items = convert_file(listing_, files[i], options_.music);
      {
        std::lock_guard lock(mutex);
        results[i] = std::move(items);
        finished[i] = 1;
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> workers;
  // Stops and joins the workers however delivery ends (end, early stop, exception).
  struct Join {
    std::vector<std::thread>& workers;
    std::mutex& mutex;
    bool& stop;
    std::condition_variable& room;
    ~Join() {
      {
        std::lock_guard lock(mutex);
        stop = true;
      }
      room.notify_all();
      for (auto& worker : workers) worker.join();
    }
  } join{workers, mutex, stop, room};
  const int threads = std::max(1, thread_count(options_.threads));
  for (int t = 0; t < threads && t < static_cast<int>(count); ++t) workers.emplace_back(work);
  for (size_t i = 0; i < count; ++i) {
    std::vector<NoteSequenceItem> items;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return finished[i] != 0; });
      items = std::move(results[i]);
      delivered = i + 1;
    }
    room.notify_all();
    for (auto& item : items) {
      if (!visit(item)) return;
    }
  }
}

void NoteSequenceSource::for_each_record(const std::function<bool(NoteSequenceItem&)>& visit) {
  TFRecordReader reader(path_);
  std::vector<NoteSequenceItem> batch;
  std::vector<std::string> records;
  bool more = true;
  while (more) {
    // Read a batch of records (framing errors become items), then parse them in parallel.
    batch.clear();
    records.clear();
    while (batch.size() < options_.batch_size) {
      NoteSequenceItem item;
      item.path = path_;
      item.record_offset = reader.offset();
      try {
        std::optional<std::string> record = reader.next();
        if (!record) {
          more = false;
          break;
        }
        item.ok = true;
        records.push_back(std::move(*record));
      } catch (const RecordError& e) {
        item.error = e.what();
        records.emplace_back();
        if (!e.recoverable()) more = false;
      }
      batch.push_back(std::move(item));
      if (!more) break;
    }
#pragma omp parallel for schedule(dynamic, 16) num_threads(thread_count(options_.threads))
    for (size_t i = 0; i < batch.size(); ++i) {
      NoteSequenceItem& item = batch[i];
      if (item.ok && !item.sequence.ParseFromString(records[i])) {
        item.ok = false;
        item.error = path_ + ": record at byte offset " + std::to_string(item.record_offset) +
                     ": not a serialized NoteSequence";
      }
    }
    for (auto& item : batch) {
      if (!visit(item)) return;
    }
  }
}

}  // namespace prnn
