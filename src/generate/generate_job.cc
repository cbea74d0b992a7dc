#include "generate/generate_job.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "model/generator_bundle.h"
#include "generate/control_flags.h"
#include "generate/control_midi.h"
#include "model/generation_model.h"
#include "generate/performance_generator.h"
#include "generate/primer.h"
#include "model/shipped_models.h"
#include "music/midi_reader.h"
#include "music/midi_writer.h"
#include "music/sequences.h"
#include "render/render_files.h"
#include "model/hparams.h"
#include "model/run_dir.h"

namespace prnn {
namespace {

std::string join(const std::vector<double>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%g", i ? ", " : "", values[i]);
    out += buffer;
  }
  return out + "]";
}

void check_job(const GenerateJob& job) {
  const int models = !job.bundle_file.empty() + !job.checkpoint.empty() + !job.run_dir.empty();
  if (job.save_generator_bundle) {
    if (job.bundle_file.empty() || (job.run_dir.empty() && job.checkpoint.empty())) {
      throw UsageError(
          "--save_generator_bundle needs --bundle_file and --run_dir (or --checkpoint)");
    }
    return;
  }
  if (models > 1) {
    throw UsageError(
        "give only one of --run_dir, --checkpoint and --bundle_file (both --run_dir "
        "and --bundle_file only with --save_generator_bundle)");
  }
  if (job.num_outputs < 1) throw UsageError("--num_outputs must be at least 1");
  if (job.num_steps < 1) throw UsageError("--num_steps must be at least 1");
  if (!(job.temperature > 0)) throw UsageError("--temperature must be > 0");
  if (job.beam_size < 1 || job.branch_factor < 1 || job.steps_per_iteration < 1) {
    throw UsageError("--beam_size, --branch_factor and --steps_per_iteration must be at least 1");
  }
  if (!(job.max_note_duration >= 0)) throw UsageError("--max_note_duration must be >= 0");
  if (job.threads < 0) throw UsageError("--threads must be 0 (automatic) or more");
  if (!job.control_midi.empty() &&
      (!job.notes_per_second.empty() || !job.pitch_class_histogram.empty())) {
    throw UsageError(
        "--control_midi takes the density and histogram from the file; give it without "
        "--notes_per_second and --pitch_class_histogram");
  }
}

bool controls_requested(const GenerateJob& job) {
  return !job.notes_per_second.empty() || !job.pitch_class_histogram.empty() ||
         !job.disable_conditioning.empty() || !job.control_midi.empty();
}

}  // namespace

GenerationModel load_job_model(const GenerateJob& job) {
  if (!job.bundle_file.empty()) {
    GenerationModel model = load_bundle_model(job.bundle_file);
    if (!job.config.empty() && job.config != model.config->name) {
      log_warn("--config=" + job.config + " is overridden by the bundle's generator id " +
               std::string(model.config->name));
    }
    return model;
  }
  if (!job.checkpoint.empty()) return load_checkpoint_model(job.checkpoint, job.config);
  if (!job.run_dir.empty()) return load_run_dir_model(job.run_dir, job.config);
  const ShippedModelChoice choice = choose_shipped_model(controls_requested(job));
  GenerationModel model = load_model_file(choice.path);
  log_info("using the shipped model " + choice.path + " (" + std::string(model.config->name) +
           "): " + choice.reason);
  model.unconditioned_by_default =
      choice.disable_conditioning && model.config->optional_conditioning;
  return model;
}

namespace {

magenta::NoteSequence build_primer(const GenerateJob& job) {
  if (job.primer_sequence) return *job.primer_sequence;
  if (!job.primer_pitches.empty()) return primer_from_pitches(job.primer_pitches);
  if (!job.primer_melody.empty()) return primer_from_melody(job.primer_melody);
  if (!job.primer_midi.empty())
    return midi_to_note_sequence(read_file(job.primer_midi), job.primer_midi);
  log_warn("No priming sequence specified. Defaulting to empty sequence.");
  magenta::NoteSequence primer;
  primer.set_ticks_per_quarter(kTicksPerQuarter);
  return primer;
}

// Parses the control flags the config uses; warns (as Magenta) about the others, naming
// the model used.
ControlSchedule build_controls(const GenerateJob& job, const GenerationModel& model,
                               bool disable_by_default, double end_time) {
  const PerformanceConfig& config = *model.config;
  ControlSchedule schedule;
  auto ignored = [&](const char* flag, const std::string& value) {
    log_warn(std::string("Control signal requested via flag, but the ") + std::string(config.name) +
             " model does not condition on it. Request will be ignored: " + flag + " = " + value +
             " (model used: " + model.source + ")");
  };
  if (!job.control_midi.empty()) {
    if (config.note_density || config.pitch_histogram) {
      ControlSchedule reference = controls_from_performance(
          midi_to_note_sequence(read_file(job.control_midi), job.control_midi), end_time,
          job.control_midi);
      if (config.note_density) schedule.notes_per_second = reference.notes_per_second;
      if (config.pitch_histogram)
        schedule.pitch_class_histograms = reference.pitch_class_histograms;
      log_info("controls from " + job.control_midi + ", one segment per second (" +
               std::to_string(reference.notes_per_second.size()) + " segments)");
    } else {
      ignored("control_midi", job.control_midi);
    }
  }
  if (!job.notes_per_second.empty()) {
    if (config.note_density) {
      schedule.notes_per_second = parse_note_densities(job.notes_per_second);
    } else {
      ignored("notes_per_second", job.notes_per_second);
    }
  }
  if (!job.pitch_class_histogram.empty()) {
    if (config.pitch_histogram) {
      schedule.pitch_class_histograms = parse_pitch_histograms(job.pitch_class_histogram);
    } else {
      ignored("pitch_class_histogram", job.pitch_class_histogram);
    }
  }
  if (!job.disable_conditioning.empty()) {
    if (config.optional_conditioning) {
      schedule.disable_conditioning = parse_disable_conditioning(job.disable_conditioning);
    } else {
      log_warn("Disable conditioning flag set, but the " + std::string(config.name) +
               " model has no optional conditioning. It will be ignored: " +
               job.disable_conditioning + " (model used: " + model.source + ")");
    }
  } else if (disable_by_default) {
    schedule.disable_conditioning = {true};
  }
  // The echo: what the network will actually see.
  if (config.note_density) {
    std::vector<double> densities = schedule.notes_per_second;
    if (densities.empty()) densities = {kDefaultNoteDensity};
    std::string bins;
    for (double d : densities)
      bins += (bins.empty() ? "" : ", ") + std::to_string(density_class(d));
    std::printf("notes_per_second: %s -> density bin [%s] of 0-7\n", join(densities).c_str(),
                bins.c_str());
  }
  if (config.pitch_histogram) {
    std::vector<PitchHistogram> histograms = schedule.pitch_class_histograms;
    if (histograms.empty()) histograms = {default_pitch_histogram()};
    for (const PitchHistogram& h : histograms) {
      float normalized[kPitchClasses];
      normalize_histogram(h, normalized);
      std::vector<double> values(normalized, normalized + kPitchClasses);
      std::printf("pitch_class_histogram (C..B, normalized): %s\n", join(values).c_str());
    }
  }
  if (config.optional_conditioning) {
    std::vector<bool> disabled = schedule.disable_conditioning;
    if (disabled.empty()) disabled = {false};
    std::string text;
    for (bool d : disabled) text += std::string(text.empty() ? "" : ", ") + (d ? "True" : "False");
    std::printf("disable_conditioning: [%s]%s\n", text.c_str(),
                disable_by_default && job.disable_conditioning.empty()
                    ? " (no control requested: the model plays unconditioned)"
                    : "");
  }
  std::fflush(stdout);
  return schedule;
}

void save_bundle(const GenerateJob& job) {
  std::string path = job.checkpoint;
  if (path.empty()) {
    std::optional<CheckpointFile> latest = latest_checkpoint(job.run_dir + "/train");
    if (!latest) throw InputError(job.run_dir + "/train: no checkpoints to bundle");
    path = latest->path;
  }
  GenerationModel model = load_checkpoint_model(path, job.config);  // validates it
  GeneratorBundleContents contents;
  contents.generator_id = std::string(model.config->generator_id);
  contents.generator_description = std::string(model.config->description);
  contents.bundle_description = job.bundle_description;
  contents.checkpoint = read_file(path);
  write_generator_bundle(job.bundle_file, contents);
  log_info("Wrote generator bundle " + job.bundle_file + " (" + contents.generator_id + ", step " +
           std::to_string(model.global_step) + ")");
}

std::string timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d_%H%M%S", &local);
  return buffer;
}

void drop_primer(magenta::NoteSequence& sequence, double start) {
  auto* notes = sequence.mutable_notes();
  notes->erase(std::remove_if(notes->begin(), notes->end(),
                              [&](const auto& n) { return n.start_time() < start; }),
               notes->end());
  double total = 0;
  for (auto& note : *notes) {
    note.set_start_time(note.start_time() - start);
    note.set_end_time(note.end_time() - start);
    total = std::max(total, note.end_time());
  }
  sequence.set_total_time(total);
}

}  // namespace

std::vector<GeneratedPerformance> generate_job_outputs(const GenerateJob& job,
                                                       const GenerationModel& model) {
  const auto started = std::chrono::steady_clock::now();
  check_job(job);
  PRNN_CHECK(!job.save_generator_bundle);
  const magenta::NoteSequence primer = build_primer(job);
  const double end_time = job.num_steps / 100.0;
  if (primer.total_time() >= end_time) {
    throw UsageError("the primer lasts " + std::to_string(primer.total_time()) +
                     " s but --num_steps=" + std::to_string(job.num_steps) + " asks for " +
                     std::to_string(end_time) +
                     " s in total (primer included); ask for more steps");
  }
  if (!job.hparams.empty()) {
    HParams requested;
    apply_hparams(model.hparams, requested);
    const std::vector<int> layers = requested.rnn_layer_sizes;
    apply_hparams(job.hparams, requested);
    if (requested.rnn_layer_sizes != layers) {
      throw InputError("--hparams=" + job.hparams +
                       " asks for other rnn_layer_sizes than the model " + model.source + " has (" +
                       model.hparams + ")");
    }
  }
  const PerformanceConfig& config = *model.config;
  GenerateOptions options;
  options.start_time = primer.total_time();
  options.end_time = end_time;
  options.search = {job.temperature, job.beam_size, job.branch_factor, job.steps_per_iteration};
  options.controls = build_controls(job, model, model.unconditioned_by_default, end_time);
  options.max_note_duration = job.max_note_duration;
  options.num_outputs = job.num_outputs;
  options.seed = job.seed ? *job.seed : std::random_device{}();
  if (!job.seed)
    log_info("--seed=" + std::to_string(options.seed) + " (give it to repeat this run)");

  GenerationNetwork network(model.params, job.num_outputs * job.beam_size * job.branch_factor,
                            NetworkKernels::fast(job.weights), model.int8);
  log_info("kernels: " + network.kernels().name() + " (" + cpu_model_name() + ")");
  log_int8_weights(model, network.kernels());
  network.set_threads(job.threads);
  log_info("model ready after " +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count()) +
           " ms; generating " + std::to_string(job.num_outputs) + " output(s) as one batch");
  std::vector<GeneratedPerformance> outputs =
      generate_performances(network, config, primer, options);
  if (job.exclude_primer) {
    for (GeneratedPerformance& output : outputs) drop_primer(output.sequence, options.start_time);
  }
  return outputs;
}

std::vector<std::string> run_generate_job(const GenerateJob& job) {
  check_job(job);
  if (job.save_generator_bundle) {
    save_bundle(job);
    return {};
  }
  const RenderRequest render = parse_render_formats(job.render, "render");
  if (render.wav) check_soundfont(job.soundfont.empty() ? default_soundfont() : job.soundfont);
  std::vector<GeneratedPerformance> outputs = generate_job_outputs(job, load_job_model(job));

  std::error_code error;
  std::filesystem::create_directories(job.output_dir, error);
  if (error) throw InputError("--output_dir=" + job.output_dir + ": " + error.message());
  const std::string stamp = timestamp();
  const int digits = static_cast<int>(std::to_string(job.num_outputs).size());
  std::vector<std::string> paths;
  for (int i = 0; i < job.num_outputs; ++i) {
    const magenta::NoteSequence& sequence = outputs[i].sequence;
    char name[64];
    std::snprintf(name, sizeof name, "%s_%0*d", stamp.c_str(), digits, i + 1);
    const std::string base = (std::filesystem::path(job.output_dir) / name).string();
    const std::string path = base + ".mid";
    note_sequence_to_midi_file(sequence, path);
    log_info("Beam search yields sequence with log-likelihood: " +
             std::to_string(outputs[i].log_likelihood) + " (" + path + ", " +
             std::to_string(outputs[i].num_events) + " events)");
    paths.push_back(path);
    if (render.any()) {
      RenderRequest request = render;
      request.wav_options.soundfont = job.soundfont;
      for (const std::string& file : render_beside(sequence, path, base, request))
        log_info("Wrote " + file);
    }
  }
  log_info("Wrote " + std::to_string(job.num_outputs) + " MIDI files to " + job.output_dir);
  return paths;
}

}  // namespace prnn
