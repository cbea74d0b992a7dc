// The C++ half of the Python package `performance_rnn` (pybind11): the extension module
// `performance_rnn._core`. NoteSequences cross the boundary as serialized protobuf bytes (the
// package's Python half turns them into messages of our proto/music.proto compiled for
// Python), so both sides keep their own protobuf runtime. The GIL is released while models
// load, generate, score and while audio and pictures render. InputError becomes
// performance_rnn.InputError (a ValueError) and UsageError a ValueError, with the library's
// message (file and reason); nothing from outside input aborts the interpreter.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "base/log.h"
#include "generate/control_flags.h"
#include "generate/evaluate.h"
#include "generate/generate_job.h"
#include "model/generation_model.h"
#include "generate/performance_stream.h"
#include "music/midi_reader.h"
#include "music/midi_writer.h"
#include "music/note_sequence_source.h"
#include "render/piano_roll_png.h"
#include "render/piano_roll_svg.h"
#include "render/wav_renderer.h"

namespace py = pybind11;

namespace prnn {
namespace {

magenta::NoteSequence parse_sequence(const std::string& bytes) {
  magenta::NoteSequence sequence;
  if (!sequence.ParseFromString(bytes)) throw InputError("sequence: not a serialized NoteSequence");
  return sequence;
}

py::bytes serialize(const magenta::NoteSequence& sequence) {
  return py::bytes(sequence.SerializeAsString());
}

// A loaded model; generation and scoring build their own networks from its weights.
class Model {
 public:
  explicit Model(const std::optional<std::string>& path) {
    py::gil_scoped_release release;
    if (!path) {
      model_ = load_model_file(shipped_model_path());
    } else if (std::filesystem::is_directory(*path)) {
      model_ = load_run_dir_model(*path);
    } else if (path->size() >= 4 && path->compare(path->size() - 4, 4, ".mag") == 0) {
      model_ = load_bundle_model(*path);
    } else {
      model_ = load_model_file(*path);
    }
  }

  std::string config() const { return std::string(model_.config->name); }
  const std::string& source() const { return model_.source; }
  int64_t global_step() const { return model_.global_step; }
  const GenerationModel& model() const { return model_; }

  // Arguments as the Python layer checked and formatted them (control lists in flag syntax).
  std::vector<py::bytes> generate(int64_t num_steps, const std::optional<std::string>& primer,
                                  double temperature, int beam_size, int branch_factor,
                                  int steps_per_iteration, const std::string& notes_per_second,
                                  const std::string& pitch_class_histogram,
                                  const std::string& disable_conditioning,
                                  std::optional<uint64_t> seed, int num_outputs,
                                  double max_note_duration, int threads) const {
    GenerateJob job;
    job.num_steps = num_steps;
    if (primer) job.primer_sequence = parse_sequence(*primer);
    job.temperature = temperature;
    job.beam_size = beam_size;
    job.branch_factor = branch_factor;
    job.steps_per_iteration = steps_per_iteration;
    job.notes_per_second = notes_per_second;
    job.pitch_class_histogram = pitch_class_histogram;
    job.disable_conditioning = disable_conditioning;
    job.seed = seed;
    job.num_outputs = num_outputs;
    job.max_note_duration = max_note_duration;
    job.threads = threads;
    std::vector<GeneratedPerformance> outputs;
    {
      py::gil_scoped_release release;
      outputs = generate_job_outputs(job, model_);
    }
    std::vector<py::bytes> sequences;
    for (const GeneratedPerformance& output : outputs)
      sequences.push_back(serialize(output.sequence));
    return sequences;
  }

  double log_likelihood(const std::string& bytes) const {
    const magenta::NoteSequence sequence = parse_sequence(bytes);
    py::gil_scoped_release release;
    GenerationNetwork network(model_.params, 1);
    return sequence_log_likelihood(network, *model_.config, sequence);
  }

 private:
  GenerationModel model_;
};

const char* event_name(EventType type) {
  switch (type) {
    case EventType::kNoteOn:
      return "NOTE_ON";
    case EventType::kNoteOff:
      return "NOTE_OFF";
    case EventType::kTimeShift:
      return "TIME_SHIFT";
    case EventType::kVelocity:
      return "VELOCITY";
  }
  return "?";
}

// A live stream of events (PerformanceStream) that remembers what it returned, so that the
// events so far can be decoded into a NoteSequence.
class Stream {
 public:
  Stream(const Model& model, uint64_t seed)
      : config_(*model.model().config), stream_(config_, model.model().params, seed) {}

  py::tuple next() {
    PerformanceEvent event;
    {
      py::gil_scoped_release release;
      event = stream_.next();
    }
    events_.push_back(event);
    return py::make_tuple(event_name(event.type), event.value);
  }

  void set_temperature(double t) {
    if (!(t > 0)) throw UsageError("temperature must be > 0");
    stream_.set_temperature(t);
  }
  void set_notes_per_second(double d) {
    if (!(d > 0)) throw UsageError("notes_per_second must be > 0");
    stream_.set_note_density(d);
  }
  void set_pitch_class_histogram(const std::string& text) {
    const auto histograms = parse_pitch_histograms(text);
    if (histograms.size() != 1) throw UsageError("pitch_class_histogram: give one histogram");
    stream_.set_pitch_histogram(histograms[0]);
  }
  void set_conditioning(bool enabled) { stream_.set_conditioning(enabled); }
  double temperature() const { return stream_.temperature(); }
  double notes_per_second() const { return stream_.controls().note_density; }
  bool conditioning() const { return !stream_.controls().disable_conditioning; }
  double elapsed_seconds() const { return stream_.elapsed_steps() / double(kStepsPerSecond); }

  py::bytes sequence(double max_note_duration) const {
    Performance performance(0, config_.num_velocity_bins);
    for (const PerformanceEvent& event : events_) performance.append(event);
    return serialize(performance.to_sequence(100, 0, std::nullopt, max_note_duration));
  }

 private:
  const PerformanceConfig& config_;
  PerformanceStream stream_;
  std::vector<PerformanceEvent> events_;
};

WavOptions wav_options(const std::optional<std::string>& soundfont, int sample_rate,
                       double release_seconds, double gain) {
  WavOptions options;
  if (soundfont) options.soundfont = *soundfont;
  options.sample_rate = sample_rate;
  options.release_seconds = release_seconds;
  options.gain = gain;
  return options;
}

}  // namespace
}  // namespace prnn

PYBIND11_MODULE(_core, m) {
  using namespace prnn;
  m.doc() = "C++ core of the performance_rnn package (NoteSequences as serialized bytes)";
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);
  // Registered later, so tried first: a UsageError (an InputError) is a plain ValueError.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const UsageError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  py::class_<Model>(m, "Model")
      .def(py::init<const std::optional<std::string>&>(), py::arg("path"))
      .def_property_readonly("config", &Model::config)
      .def_property_readonly("source", &Model::source)
      .def_property_readonly("global_step", &Model::global_step)
      .def("generate", &Model::generate)
      .def("log_likelihood", &Model::log_likelihood);

  py::class_<Stream>(m, "Stream")
      .def(py::init<const Model&, uint64_t>(), py::keep_alive<1, 2>())
      .def("next", &Stream::next)
      .def_property("temperature", &Stream::temperature, &Stream::set_temperature)
      .def_property("notes_per_second", &Stream::notes_per_second, &Stream::set_notes_per_second)
      .def("set_pitch_class_histogram", &Stream::set_pitch_class_histogram)
      .def_property("conditioning", &Stream::conditioning, &Stream::set_conditioning)
      .def_property_readonly("elapsed_seconds", &Stream::elapsed_seconds)
      .def("sequence", &Stream::sequence);

  m.def("read_midi_bytes", [](const std::string& bytes, const std::string& name) {
    magenta::NoteSequence sequence;
    {
      py::gil_scoped_release release;
      sequence = midi_to_note_sequence(bytes, name);
    }
    return serialize(sequence);
  });
  m.def("midi_bytes", [](const std::string& bytes) {
    const magenta::NoteSequence sequence = parse_sequence(bytes);
    std::string midi;
    {
      py::gil_scoped_release release;
      midi = note_sequence_to_midi(sequence);
    }
    return py::bytes(midi);
  });
  m.def("write_midi", [](const std::string& bytes, const std::string& path) {
    const magenta::NoteSequence sequence = parse_sequence(bytes);
    py::gil_scoped_release release;
    note_sequence_to_midi_file(sequence, path);
  });
  m.def("read_note_sequences", [](const std::string& path) {
    std::vector<std::string> records;
    {
      py::gil_scoped_release release;
      NoteSequenceSource source(path, {});
      if (source.reads_music_files())
        throw InputError(path + ": music files, not a TFRecord file of NoteSequences");
      source.for_each([&](NoteSequenceItem& item) {
        if (!item.ok) throw InputError(item.error);
        records.push_back(item.sequence.SerializeAsString());
        return true;
      });
    }
    std::vector<py::bytes> out;
    for (const std::string& r : records) out.push_back(py::bytes(r));
    return out;
  });
  m.def("render_wav", [](const std::string& bytes, const std::optional<std::string>& soundfont,
                         int sample_rate, double release_seconds, double gain) {
    const magenta::NoteSequence sequence = parse_sequence(bytes);
    std::string wav;
    {
      py::gil_scoped_release release;
      wav = render_wav_bytes(sequence, "sequence",
                             wav_options(soundfont, sample_rate, release_seconds, gain));
    }
    return py::bytes(wav);
  });
  m.def("piano_roll_svg", [](const std::string& bytes) {
    const magenta::NoteSequence sequence = parse_sequence(bytes);
    py::gil_scoped_release release;
    return piano_roll_svg(sequence, "sequence");
  });
  m.def("piano_roll_png", [](const std::string& bytes) {
    const magenta::NoteSequence sequence = parse_sequence(bytes);
    std::string png;
    {
      py::gil_scoped_release release;
      png = piano_roll_png(sequence, "sequence");
    }
    return py::bytes(png);
  });
  m.def("set_log_level", [](const std::string& level) { set_log_level(level); });
  m.def("default_soundfont", &default_soundfont);
  m.def("shipped_model_path", &shipped_model_path);
}
