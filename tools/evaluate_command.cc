// `performance_rnn evaluate`: how well a model predicts real music. Each input piece goes
// through the dataset pipeline's eval stages and is scored with teacher forcing; one JSON
// line per file, then a summary line {files, events, nll_per_event, nll_per_second} (nats).
// --log_likelihood adds Magenta's performance_log_likelihood of each whole file (e.g. a
// generated performance), with the default controls. A file that cannot be read, or has no
// performance to score, gets a line with "error" (never null figures); when nothing at all
// can be scored the command fails, naming --input and what it found.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "generate/evaluate.h"
#include "model/generation_model.h"
#include "model/shipped_models.h"
#include "nn/isa.h"
#include "music/note_sequence_source.h"
#include "music/sequences.h"
#include "performance/extractor.h"

namespace prnn {
namespace {

struct Totals {
  int files = 0;       // items scored
  int unreadable = 0;  // items that could not be read
  int unscorable = 0;  // items read, but without a performance to score
  PerformanceScore score;
};

// The figures of a score with events; nll_per_second only when they cover time.
nlohmann::json rates(const PerformanceScore& s) {
  nlohmann::json out = {{"performances", s.performances},
                        {"events", s.events},
                        {"seconds", s.seconds},
                        {"nll_per_event", s.nll / s.events}};
  if (s.seconds > 0) out["nll_per_second"] = s.nll / s.seconds;
  return out;
}

int evaluate_main(int argc, char** argv) {
  std::string bundle_file, run_dir, checkpoint, input, log_level = "INFO";
  bool log_likelihood = false, recursive = false;
  std::string disable_conditioning;
  int batch = 16, threads = 0;
  FlagSet flags("performance_rnn evaluate",
                "Negative log-likelihood of real performances under a model (default: the "
                "shipped one).");
  flags.add("bundle_file", &bundle_file, "a .mag generator bundle (ours or Magenta's)");
  flags.add("run_dir", &run_dir, "a training run: its newest RUN_DIR/train checkpoint");
  flags.add("checkpoint", &checkpoint, "one checkpoint file");
  flags.add("input", &input,
            "a MIDI/MusicXML/ABC file, a folder of them, or a NoteSequence TFRecord");
  flags.add("recursive", &recursive, "with a folder --input: also read its sub-folders");
  flags.add("log_likelihood", &log_likelihood,
            "also print Magenta's performance_log_likelihood of each whole file");
  flags.add("disable_conditioning", &disable_conditioning,
            "optional-conditioning models: True scores with conditioning disabled, False with "
            "the controls of each performance (default: False, or True for a shipped "
            "conditioned model chosen for its NLL)");
  flags.add("batch", &batch, "performances scored together");
  flags.add("threads", &threads,
            "threads in each network step (0: automatic, one or two, whichever runs faster)");
  std::string isa = "auto", weights = weight_format_name(NetworkKernels::kDefaultWeights);
  flags.add("isa", &isa, isa_flag_help());
  flags.add("weights", &weights, "weight storage of the network: int8, bf16 or fp32");
  flags.add("log", &log_level, "log level: DEBUG, INFO, WARN, ERROR, FATAL");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  const WeightFormat format = parse_weight_format(weights, "--weights");
  set_log_level(log_level);
  if (input.empty()) throw UsageError("--input is required");
  if (batch < 1 || threads < 0) {
    throw UsageError("--batch must be at least 1, --threads 0 (automatic) or more");
  }
  if (!bundle_file.empty() + !run_dir.empty() + !checkpoint.empty() > 1) {
    throw UsageError("give at most one of --bundle_file, --run_dir and --checkpoint");
  }
  if (!disable_conditioning.empty() && disable_conditioning != "True" &&
      disable_conditioning != "False") {
    throw UsageError("--disable_conditioning must be True or False, not '" + disable_conditioning +
                     "'");
  }
  bool disabled = disable_conditioning == "True";
  auto load_shipped = [&] {
    const ShippedModelChoice choice = choose_shipped_model(!disable_conditioning.empty());
    log_info("using the shipped model " + choice.path + ": " + choice.reason);
    if (disable_conditioning.empty()) disabled = choice.disable_conditioning;
    return load_model_file(choice.path);
  };
  GenerationModel model = !bundle_file.empty()  ? load_bundle_model(bundle_file)
                          : !run_dir.empty()    ? load_run_dir_model(run_dir)
                          : !checkpoint.empty() ? load_checkpoint_model(checkpoint)
                                                : load_shipped();
  const PerformanceConfig& config = *model.config;
  GenerationNetwork network(model.params, batch, NetworkKernels::fast(format), model.int8);
  log_info("kernels: " + network.kernels().name());
  log_int8_weights(model, network.kernels());
  network.set_threads(threads);
  Totals totals;

  auto report_error = [&](const std::string& name, const std::string& error) {
    std::printf("%s\n", nlohmann::json({{"file", name}, {"error", error}}).dump().c_str());
  };
  auto score_item = [&](const std::string& name, const magenta::NoteSequence& sequence) {
    PerformanceScore score =
        score_performances(network, config, eval_performances(sequence, config), disabled);
    nlohmann::json line;
    if (score.events > 0) {
      line = rates(score);
      totals.files += 1;
      totals.score.nll += score.nll;
      totals.score.events += score.events;
      totals.score.seconds += score.seconds;
      totals.score.performances += score.performances;
    } else {
      line["error"] = "no performance to score (none of at least 32 events in a 30 s segment)";
      totals.unscorable += 1;
    }
    line["file"] = name;
    if (log_likelihood) line["log_likelihood"] = sequence_log_likelihood(network, config, sequence);
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
  };

  NoteSequenceSource::Options source_options;
  source_options.recursive = recursive;
  NoteSequenceSource source(input, source_options);
  source.for_each([&](NoteSequenceItem& item) {
    std::string name = item.relative_path.empty()
                           ? item.path + "@" + std::to_string(item.record_offset)
                           : item.relative_path;
    if (!item.abc_reference_number.empty()) name += "#X:" + item.abc_reference_number;
    if (!item.ok) {
      totals.unreadable += 1;
      report_error(name, item.error);
      return true;
    }
    try {
      score_item(name, item.sequence);
    } catch (const InputError& e) {
      totals.unreadable += 1;
      report_error(name, e.what());
    }
    return true;
  });
  if (totals.score.events == 0) {
    throw InputError(input + ": nothing to score: " + std::to_string(totals.unreadable) +
                     " unreadable, " + std::to_string(totals.unscorable) +
                     " without a performance of at least 32 events");
  }
  nlohmann::json summary = rates(totals.score);
  summary["files"] = totals.files;
  summary["unreadable"] = totals.unreadable;
  summary["unscorable"] = totals.unscorable;
  summary["model"] = model.source;
  if (config.optional_conditioning) summary["conditioning_disabled"] = disabled;
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}

}  // namespace

PRNN_COMMAND("evaluate", "score real performances with a model (NLL per event and second)",
             evaluate_main);

}  // namespace prnn
