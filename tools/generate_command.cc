// `performance_rnn generate` (also `performance_rnn_generate`): Magenta's
// performance_rnn_generate.py — generate performances as MIDI files from a trained model,
// or save a model as a generator bundle. Flag names, defaults and meanings are the
// original's; --seed, --checkpoint, --max_note_duration, --exclude_primer, --control_midi
// and --threads are ours.
#include <string>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "generate/control_flags.h"
#include "generate/generate_job.h"
#include "nn/isa.h"
#include "render/wav_renderer.h"

namespace prnn {
namespace {

int generate_main(int argc, char** argv) {
  GenerateJob job;
  std::string log_level = "INFO";
  int64_t seed = -1;
  FlagSet flags(
      "performance_rnn_generate",
      "Generates expressive piano performances (MIDI) with Performance RNN. With no "
      "--run_dir, --checkpoint or --bundle_file it uses a shipped model: the conditioned one "
      "when a control flag is given.");
  flags.add("run_dir", &job.run_dir,
            "training run directory; its newest RUN_DIR/train checkpoint is used");
  flags.add("checkpoint", &job.checkpoint, "one checkpoint file (instead of --run_dir)");
  flags.add(
      "bundle_file", &job.bundle_file,
      ".mag generator bundle to use (ours or Magenta's), or to write with --save_generator_bundle");
  flags.add("save_generator_bundle", &job.save_generator_bundle,
            "write --run_dir's (or --checkpoint's) model to --bundle_file instead of generating");
  flags.add("bundle_description", &job.bundle_description, "description stored in a saved bundle");
  flags.add(
      "config", &job.config,
      "config the model must have (a bundle's generator id overrides it); empty = the model's");
  flags.add("hparams", &job.hparams, "hyperparameters (Magenta syntax); must agree with the model");
  flags.add("output_dir", &job.output_dir, "where the MIDI files are written");
  flags.add("num_outputs", &job.num_outputs, "number of performances to generate");
  flags.add("num_steps", &job.num_steps,
            "length of each performance in 10 ms steps, primer included");
  flags.add("primer_pitches", &job.primer_pitches,
            "a chord to start from, e.g. \"[60, 64, 67]\" (0.5 s, velocity 100)");
  flags.add("primer_melody", &job.primer_melody,
            "a melody to start from: 0-127 note on, -1 off, -2 hold, 1/8 s each, e.g. \"[60, -2, "
            "62, -1]\"");
  flags.add("primer_midi", &job.primer_midi, "a MIDI file to start from (no sustain applied)");
  flags.add("temperature", &job.temperature, "softmax temperature: >1 more random, <1 less");
  flags.add("beam_size", &job.beam_size, "beam search: entries kept");
  flags.add("branch_factor", &job.branch_factor, "beam search: branches per entry");
  flags.add("steps_per_iteration", &job.steps_per_iteration, "beam search: events per iteration");
  flags.add("notes_per_second", &job.notes_per_second,
            "density conditioning: a number or a list (segments over time), e.g. \"[2, 8]\"");
  flags.add("pitch_class_histogram", &job.pitch_class_histogram,
            "pitch conditioning: 12 weights C..B, a scale name, or a list of them (segments); " +
                scale_names_help());
  flags.add("disable_conditioning", &job.disable_conditioning,
            "optional-conditioning models: True/False or a list (segments)");
  flags.add("control_midi", &job.control_midi,
            "condition on the note density and pitch-class histogram over time of this MIDI "
            "performance (one segment per second; not with --notes_per_second or "
            "--pitch_class_histogram)");
  flags.add("seed", &seed, "random seed; the same seed gives the same files (default: random)");
  flags.add("max_note_duration", &job.max_note_duration, "longest note in seconds (0 = unlimited)");
  flags.add("exclude_primer", &job.exclude_primer,
            "leave the primer's notes out and start the files where generation starts");
  flags.add("render", &job.render,
            "also write NAME.wav / NAME.svg / NAME.png beside each MIDI file: wav,svg,png or a "
            "subset");
  flags.add("soundfont", &job.soundfont,
            "the .sf2/.sf3 SoundFont for --render=wav (default " + default_soundfont() + ")");
  flags.add("threads", &job.threads,
            "threads in each network step (0: automatic, one or two, whichever runs faster)");
  std::string isa = "auto", weights = weight_format_name(job.weights);
  flags.add("isa", &isa, isa_flag_help());
  flags.add("weights", &weights, "weight storage of the network: int8, bf16 or fp32");
  flags.add("log", &log_level, "log level: DEBUG, INFO, WARN, ERROR, FATAL");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  job.weights = parse_weight_format(weights, "--weights");
  if (!flags.positional().empty())
    throw UsageError("unexpected argument '" + flags.positional()[0] + "'");
  set_log_level(log_level);
  if (seed >= 0) job.seed = static_cast<uint64_t>(seed);
  run_generate_job(job);
  return 0;
}

}  // namespace

PRNN_COMMAND("generate", "generate performances as MIDI files (performance_rnn_generate)",
             generate_main);

}  // namespace prnn
