// `performance_rnn evaluate`: how well a model predicts real music. Each input piece goes
// through the dataset pipeline's eval stages and is scored with teacher forcing; one JSON
// line per file, then a summary line {files, events, nll_per_event, nll_per_second} (nats).
// --log_likelihood adds Magenta's performance_log_likelihood of each whole file (e.g. a
// generated performance), with the default controls.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "generate/evaluate.h"
#include "generate/generation_model.h"
#include "music/music_file.h"
#include "nn/isa.h"
#include "music/note_sequence_source.h"
#include "music/sequences.h"
#include "performance/extractor.h"

namespace prnn {
namespace {

struct Totals {
  int files = 0;
  PerformanceScore score;
};

nlohmann::json rates(const PerformanceScore& s) {
  nlohmann::json out = {
      {"performances", s.performances}, {"events", s.events}, {"seconds", s.seconds}};
  out["nll_per_event"] = s.events ? nlohmann::json(s.nll / s.events) : nlohmann::json();
  out["nll_per_second"] = s.seconds > 0 ? nlohmann::json(s.nll / s.seconds) : nlohmann::json();
  return out;
}

double whole_log_likelihood(GenerationNetwork& network, const PerformanceConfig& config,
                            const magenta::NoteSequence& sequence) {
  Statistics statistics;
  ExtractionOptions options;
  options.num_velocity_bins = config.num_velocity_bins;
  options.note_performance = config.note_performance();
  auto p = extract_performance(quantize_note_sequence_absolute(sequence, kStepsPerSecond), options,
                               &statistics);
  if (!p) return 0;
  return performance_log_likelihood(network, config, *p, ControlValues{});
}

int evaluate_main(int argc, char** argv) {
  std::string bundle_file, run_dir, checkpoint, input, log_level = "INFO";
  bool log_likelihood = false;
  int batch = 16, threads = 1;
  FlagSet flags("performance_rnn evaluate",
                "Negative log-likelihood of real performances under a model (default: the "
                "shipped one).");
  flags.add("bundle_file", &bundle_file, "a .mag generator bundle (ours or Magenta's)");
  flags.add("run_dir", &run_dir, "a training run: its newest RUN_DIR/train checkpoint");
  flags.add("checkpoint", &checkpoint, "one checkpoint file");
  flags.add("input", &input,
            "a MIDI/MusicXML/ABC file, a folder of them, or a NoteSequence TFRecord");
  flags.add("log_likelihood", &log_likelihood,
            "also print Magenta's performance_log_likelihood of each whole file");
  flags.add("batch", &batch, "performances scored together");
  flags.add("threads", &threads, "threads in each network step");
  std::string isa = "auto", weights = weight_format_name(NetworkKernels::kDefaultWeights);
  flags.add("isa", &isa, isa_flag_help());
  flags.add("weights", &weights, "weight storage of the network: int8, bf16 or fp32");
  flags.add("log", &log_level, "log level: DEBUG, INFO, WARN, ERROR, FATAL");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  const WeightFormat format = parse_weight_format(weights, "--weights");
  set_log_level(log_level);
  if (input.empty()) throw UsageError("--input is required");
  if (batch < 1 || threads < 1) throw UsageError("--batch and --threads must be at least 1");
  if (!bundle_file.empty() + !run_dir.empty() + !checkpoint.empty() > 1) {
    throw UsageError("give at most one of --bundle_file, --run_dir and --checkpoint");
  }
  GenerationModel model = !bundle_file.empty()  ? load_bundle_model(bundle_file)
                          : !run_dir.empty()    ? load_run_dir_model(run_dir)
                          : !checkpoint.empty() ? load_checkpoint_model(checkpoint)
                                                : load_model_file(shipped_model_path());
  const PerformanceConfig& config = *model.config;
  GenerationNetwork network(model.params, batch, NetworkKernels::fast(format));
  log_info("kernels: " + network.kernels().name() +
           (format == WeightFormat::kInt8
                ? "; int8 weights quantized at load, one scale per output column"
                : ""));
  network.set_threads(threads);
  Totals totals;

  auto score_file = [&](const std::string& name,
                        const std::vector<magenta::NoteSequence>& sequences) {
    std::vector<AnyPerformance> performances;
    double whole = 0;
    for (const auto& sequence : sequences) {
      for (AnyPerformance& p : eval_performances(sequence, config))
        performances.push_back(std::move(p));
      if (log_likelihood) whole += whole_log_likelihood(network, config, sequence);
    }
    PerformanceScore score = score_performances(network, config, performances);
    nlohmann::json line = rates(score);
    line["file"] = name;
    if (log_likelihood) line["log_likelihood"] = whole;
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
    totals.files += 1;
    totals.score.nll += score.nll;
    totals.score.events += score.events;
    totals.score.seconds += score.seconds;
    totals.score.performances += score.performances;
  };
  auto report_error = [&](const std::string& name, const std::string& error) {
    std::printf("%s\n", nlohmann::json({{"file", name}, {"error", error}}).dump().c_str());
  };

  if (music_file_type(input)) {
    MusicFileContents contents = read_music_file(input);
    score_file(input, contents.sequences);
  } else {
    NoteSequenceSource source(input, {});
    source.for_each([&](NoteSequenceItem& item) {
      std::string name = item.relative_path.empty()
                             ? item.path + "@" + std::to_string(item.record_offset)
                             : item.relative_path;
      if (!item.ok) {
        report_error(name, item.error);
        return true;
      }
      try {
        score_file(name, {item.sequence});
      } catch (const InputError& e) {
        report_error(name, e.what());
      }
      return true;
    });
  }
  nlohmann::json summary = rates(totals.score);
  summary["files"] = totals.files;
  summary["model"] = model.source;
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}

}  // namespace

PRNN_COMMAND("evaluate", "score real performances with a model (NLL per event and second)",
             evaluate_main);

}  // namespace prnn
