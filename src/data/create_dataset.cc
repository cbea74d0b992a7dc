#include "data/create_dataset.h"

#include <omp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "music/note_sequence_source.h"

namespace prnn {
namespace {

// Writeback to disk is started every this many bytes, overlapping it with the work.
constexpr uint64_t kWritebackBytes = 64 << 20;

struct WorkItem {
  magenta::NoteSequence sequence;
  Split split = Split::kTraining;
  Statistics stats;
  PipelineOutput output;
};

std::string per_event(uint64_t bytes, int64_t events) {
  if (events == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / events);
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string CreateDatasetReport::summary() const {
  std::string text;
  text += "seed: " + std::to_string(seed) + "\n";
  text += "input sequences: " + std::to_string(sequences_read) + " read, " +
          std::to_string(inputs_skipped) + " unreadable and skipped\n";
  for (const auto& [name, split] :
       {std::pair<const char*, const SplitReport&>{"training", training}, {"eval", eval}}) {
    text += std::string(name) + ": " + std::to_string(split.sequences) + " sequences -> " +
            std::to_string(split.examples) + " examples, " + std::to_string(split.events) +
            " events, " + std::to_string(split.bytes) + " bytes (" +
            per_event(split.bytes, split.events) + " bytes/event)\n";
    const std::string extractor = std::string("DAGPipeline_PerformanceExtractor_") + name + "_";
    const std::string transposition =
        std::string("DAGPipeline_TranspositionPipeline_") + name + "_";
    text +=
        "  discarded: " +
        std::to_string(stats.counter(extractor + "performances_discarded_too_short")) +
        " too short (< min events), " +
        std::to_string(stats.counter(extractor + "performances_discarded_more_than_1_program")) +
        " more than one program, " +
        std::to_string(stats.counter(extractor + "performances_discarded_invalid_note")) +
        " unencodable note, " +
        std::to_string(stats.counter(transposition + "skipped_due_to_range_exceeded")) +
        " transpositions out of range, " +
        std::to_string(stats.counter(std::string("DAGPipeline_Quantizer_") + name +
                                     "_sequences_discarded_negative_time") +
                       stats.counter(std::string("DAGPipeline_SustainPipeline_") + name +
                                     "_sequences_discarded_invalid_times") +
                       stats.counter(std::string("DAGPipeline_Splitter_") + name +
                                     "_sequences_discarded_too_long")) +
        " bad times; " + std::to_string(stats.counter(extractor + "performances_truncated")) +
        " truncated to max events\n";
  }
  char time[64];
  const int64_t examples = training.examples + eval.examples;
  const int64_t events = training.events + eval.events;
  std::snprintf(time, sizeof time, "%.2f s, %.0f examples/s, %.0f events/s\n", seconds,
                examples / std::max(seconds, 1e-9), events / std::max(seconds, 1e-9));
  text += "time: " + std::string(time);
  return text;
}

CreateDatasetReport create_dataset(const CreateDatasetOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const PerformanceConfig& config = find_performance_config(options.config);
  if (!(options.eval_ratio >= 0.0 && options.eval_ratio <= 1.0)) {
    throw UsageError("--eval_ratio must be between 0 and 1");
  }
  if (options.output_dir.empty()) throw UsageError("--output_dir is required");
  if (options.input.empty()) throw UsageError("--input is required");
  std::error_code error;
  std::filesystem::create_directories(options.output_dir, error);
  if (error) {
    throw InputError("cannot create --output_dir " + options.output_dir + ": " + error.message());
  }

  CreateDatasetReport report;
  report.seed = options.seed ? *options.seed : std::random_device{}();
  std::mt19937_64 random(report.seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);

  const DatasetPipeline pipeline(config, options.pipeline);
  NoteSequenceSource::Options source_options;
  source_options.recursive = options.recursive;
  NoteSequenceSource source(options.input, source_options);
  if (source.reads_music_files()) {
    for (const auto& [extension, count] : source.listing().skipped_by_extension) {
      log_info("ignoring " + std::to_string(count) + " file(s) with extension '" + extension +
               "' in " + options.input);
    }
  }
  AtomicFileWriter training(options.output_dir + "/training_performances.tfrecord");
  AtomicFileWriter eval(options.output_dir + "/eval_performances.tfrecord");

  // Bounded batches: memory holds at most batch_size inputs and their examples (about
  // 4 MB each in the compact layout, 300 MB in Magenta's). Whichever worker finishes
  // writes the finished prefix of the batch, in input order, while others compute.
  const int threads = omp_get_max_threads();
  const size_t batch_size = static_cast<size_t>(
      options.pipeline.onehot_inputs ? std::max(2, threads) : std::max(4, 8 * threads));
  std::vector<WorkItem> batch(batch_size);
  std::unique_ptr<std::atomic<bool>[]> finished(new std::atomic<bool>[batch_size]);
  std::mutex writing;
  size_t count = 0;
  size_t written = 0;
  auto write_item = [&](WorkItem& item) {
    ++report.sequences_read;
    SplitReport& split = item.split == Split::kEval ? report.eval : report.training;
    report.stats.increment(std::string("DAGPipeline_RandomPartition_") + split_name(item.split) +
                           "_performances_count");
    ++split.sequences;
    split.examples += item.output.examples;
    split.events += item.output.events;
    AtomicFileWriter& file = item.split == Split::kEval ? eval : training;
    file.write(item.output.records);
    if (file.bytes_written() / kWritebackBytes !=
        (file.bytes_written() - item.output.records.size()) / kWritebackBytes) {
      file.start_writeback();
    }
    report.stats.merge(item.stats);
    item.output.records = std::string();
    item.sequence.Clear();
  };
  auto run_batch = [&]() {
    for (size_t i = 0; i < count; ++i) finished[i].store(false);
    written = 0;
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t i = 0; i < count; ++i) {
      WorkItem& item = batch[i];
      pipeline.process(item.sequence, item.split, &item.stats, &item.output);
      finished[i].store(true, std::memory_order_release);
      std::unique_lock<std::mutex> lock(writing, std::try_to_lock);
      if (!lock.owns_lock()) continue;  // the current writer, or the final flush, takes it
      while (written < count && finished[written].load(std::memory_order_acquire)) {
        write_item(batch[written++]);
      }
    }
    while (written < count) write_item(batch[written++]);
    count = 0;
  };
  source.for_each([&](NoteSequenceItem& input) {
    if (!input.ok) {
      log_error("skipping unreadable input: " + input.error);
      ++report.inputs_skipped;
      return true;
    }
    WorkItem& item = batch[count++];
    item.sequence = std::move(input.sequence);
    item.split = uniform(random) < options.eval_ratio ? Split::kEval : Split::kTraining;
    item.stats = Statistics();
    item.output = PipelineOutput();
    if (count == batch_size) run_batch();
    return true;
  });
  run_batch();
  // Nothing to train on is a failure, never empty outputs (the writers then discard theirs).
  if (report.sequences_read == 0) {
    throw InputError(options.input + ": none of its " + std::to_string(report.inputs_skipped) +
                     " inputs could be read (each is reported above)");
  }
  if (report.training.examples + report.eval.examples == 0) {
    report.seconds = seconds_since(started);
    throw InputError(options.input + ": no examples: every one of its " +
                     std::to_string(report.sequences_read) +
                     " sequences was discarded by the pipeline\n" + report.summary());
  }
  report.training.bytes = training.bytes_written();
  report.eval.bytes = eval.bytes_written();
  training.commit();
  eval.commit();
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace prnn
