// What performance_rnn_generate does once its flags are parsed: pick the model, build the
// primer and controls, generate every output in one batch and write the MIDI files
// (`output_dir/YYYY-mm-dd_HHMMSS_<i>.mid`, i from 1, zero-padded to the digits of
// num_outputs, each written atomically after all outputs are generated; with `render`,
// NAME.wav/.svg/.png beside each), or save a generator bundle. Flag semantics are Magenta's (doc/magenta.md §10) plus the extras
// documented on each field. Throws UsageError/InputError with the flag or file named; on
// an error no MIDI file is left behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/generation_network.h"
#include "model/generation_model.h"
#include "generate/performance_generator.h"
#include "proto/music.pb.h"

namespace prnn {

struct GenerateJob {
  // Model: at most one of bundle_file / checkpoint / run_dir; none = a shipped model, the
  // conditioned one when a control is given (model/shipped_models.h).
  std::string run_dir, bundle_file, checkpoint;
  bool save_generator_bundle = false;
  std::string bundle_description;
  std::string config;  // empty = from the model
  std::string hparams;
  std::string output_dir = "/tmp/performance_rnn/generated";
  int num_outputs = 10;
  int64_t num_steps = 3000;
  std::string primer_pitches, primer_melody, primer_midi;
  std::optional<magenta::NoteSequence> primer_sequence;  // the primer itself (Python API)
  double temperature = 1.0;
  int beam_size = 1, branch_factor = 1, steps_per_iteration = 1;
  // Control flags as given (empty = not given).
  std::string notes_per_second, pitch_class_histogram, disable_conditioning;
  // A MIDI performance whose density and histogram over time condition the output
  // (generate/control_midi.h); excludes notes_per_second and pitch_class_histogram.
  std::string control_midi;
  std::optional<uint64_t> seed;  // none = from the clock (logged)
  double max_note_duration = 5.0;
  bool exclude_primer = false;  // drop the primer's notes and start the file at the section
  int threads = 0;              // GenerationNetwork::set_threads: 0 is automatic
  WeightFormat weights = NetworkKernels::kDefaultWeights;  // the network's weight storage
  // Renderings beside each MIDI file: "wav,svg,png" or a subset (render/render_files.h);
  // the WAV with `soundfont` (empty = the default).
  std::string render;
  std::string soundfont;
};

// The model the job names: bundle_file, checkpoint or run_dir, or the shipped model.
GenerationModel load_job_model(const GenerateJob& job);

// Generates the job's outputs with `model` (primer, controls and search from the job;
// exclude_primer applied); writes nothing. Output i is the same for the same job and seed
// whatever the caller (command line or Python).
std::vector<GeneratedPerformance> generate_job_outputs(const GenerateJob& job,
                                                       const GenerationModel& model);

// Returns the paths written (empty after --save_generator_bundle).
std::vector<std::string> run_generate_job(const GenerateJob& job);

}  // namespace prnn
