// `performance_rnn benchmark controls` (bench/controls.sh): does a conditioned model obey
// its controls? For each requested note density, N performances of S seconds and their
// measured notes per second (Magenta's definition: note onsets over the performance's
// length); for each scale preset, N performances and the Pearson correlation between the
// requested histogram and each output's pitch-class histogram (seconds held per class,
// the quantity the control is computed from). One JSON object; no primer, temperature 1.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "benchmark_case.h"
#include "generate/control_flags.h"
#include "model/generation_model.h"
#include "generate/performance_generator.h"
#include "model/shipped_models.h"
#include "music/sequences.h"
#include "quality/window_features.h"

namespace prnn {
namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? NAN : sum / values.size();
}

int benchmark_controls(int argc, char** argv) {
  std::string model_file, densities_text = "1,2,4,8,16",
                          presets_text =
                              "c_major,f_major,d_minor,whole_tone,pentatonic,db_major,"
                              "e_blues";
  int num_outputs = 10, threads = 1;
  double seconds = 30;
  int64_t seed = 1;
  std::string log_level = "WARN";
  FlagSet flags("performance_rnn benchmark controls",
                "How well a conditioned model follows --notes_per_second and "
                "--pitch_class_histogram.");
  flags.add("model", &model_file,
            "model file: checkpoint or bundle (default: the shipped conditioned model)");
  flags.add("densities", &densities_text, "requested notes per second, comma-separated");
  flags.add("presets", &presets_text, "scale presets, comma-separated");
  flags.add("num_outputs", &num_outputs, "performances per request");
  flags.add("seconds", &seconds, "length of each performance");
  flags.add("seed", &seed, "random seed");
  flags.add("threads", &threads, "threads in each network step");
  flags.add("log", &log_level, "log level: DEBUG, INFO, WARN, ERROR, FATAL");
  if (!flags.parse(argc, argv)) return 0;
  set_log_level(log_level);
  if (num_outputs < 1 || !(seconds > 0) || threads < 1) {
    throw UsageError("--num_outputs, --seconds and --threads must be positive");
  }
  if (model_file.empty()) model_file = shipped_models_folder() + "/" + kConditionedModelFile;
  const auto started = std::chrono::steady_clock::now();
  GenerationModel model = load_model_file(model_file);
  const PerformanceConfig& config = *model.config;
  if (!config.note_density || !config.pitch_histogram) {
    throw InputError(model_file + ": config " + std::string(config.name) +
                     " does not condition on both note density and pitch-class histogram");
  }
  GenerationNetwork network(model.params, num_outputs);
  network.set_threads(threads);
  magenta::NoteSequence primer;
  primer.set_ticks_per_quarter(kTicksPerQuarter);
  auto generate = [&](const ControlSchedule& controls) {
    GenerateOptions options;
    options.start_time = 0;
    options.end_time = seconds;
    options.controls = controls;
    options.num_outputs = num_outputs;
    options.seed = static_cast<uint64_t>(seed);
    return generate_performances(network, config, primer, options);
  };

  nlohmann::json density_rows = nlohmann::json::array();
  std::vector<double> measured_means;
  int within = 0, checked = 0;
  for (const std::string& text : split(densities_text)) {
    ControlSchedule controls;
    controls.notes_per_second = parse_note_densities(text);
    const double requested = controls.notes_per_second.at(0);
    std::vector<double> measured;
    for (const GeneratedPerformance& p : generate(controls)) {
      measured.push_back(p.sequence.notes_size() / seconds);
    }
    const double m = mean(measured);
    measured_means.push_back(m);
    const bool ok = std::abs(m - requested) <= 0.25 * requested;
    if (requested == 2 || requested == 4 || requested == 8) {
      ++checked;
      within += ok;
    }
    density_rows.push_back({{"requested", requested},
                            {"bin", density_class(requested)},
                            {"measured_mean", m},
                            {"ratio", m / requested},
                            {"within_25_percent", ok},
                            {"measured", measured}});
    log_info("density " + text + ": measured " + std::to_string(m) + " notes/s");
  }
  bool increasing = true;
  for (size_t i = 1; i < measured_means.size(); ++i)
    increasing = increasing && measured_means[i] > measured_means[i - 1];

  nlohmann::json histogram_rows = nlohmann::json::array();
  std::vector<double> preset_means;
  FeatureOptions whole;
  whole.window_seconds = 1e9;
  whole.min_window_seconds = 0;
  for (const std::string& preset : split(presets_text)) {
    std::optional<PitchHistogram> requested = scale_histogram(preset);
    if (!requested) throw UsageError("--presets: unknown scale '" + preset + "'");
    ControlSchedule controls;
    controls.pitch_class_histograms = {*requested};
    std::vector<double> correlations;
    for (const GeneratedPerformance& p : generate(controls)) {
      std::vector<WindowFeatures> w = window_features(p.sequence, whole);
      correlations.push_back(w.empty() ? NAN
                                       : pearson_correlation(*requested, w[0].pitch_class_seconds));
    }
    const double m = mean(correlations);
    preset_means.push_back(m);
    histogram_rows.push_back(
        {{"preset", preset}, {"correlation_mean", m}, {"correlations", correlations}});
    log_info("histogram " + preset + ": correlation " + std::to_string(m));
  }
  auto finite_or_null = [](double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
  };
  nlohmann::json out = {
      {"what", "controls"},
      {"model", model_file},
      {"config", config.name},
      {"global_step", model.global_step},
      {"num_outputs", num_outputs},
      {"seconds", seconds},
      {"seed", seed},
      {"density", density_rows},
      {"density_strictly_increasing", increasing},
      {"density_within_25_percent_of_2_4_8",
       std::to_string(within) + "/" + std::to_string(checked)},
      {"histogram", histogram_rows},
      {"histogram_mean_correlation", finite_or_null(mean(preset_means))},
      {"wall_seconds",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

PRNN_BENCHMARK_CASE("controls", benchmark_controls);

}  // namespace prnn
