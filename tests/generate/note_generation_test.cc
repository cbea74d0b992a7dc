// Generation and scoring with the note encoding (performance_with_dynamics_and_note_encoding,
// six softmax heads): a model forced to one note tuple gives notes computed by hand from
// Magenta's rules (doc/magenta.md §5 NotePerformance, §10 _generate), written to MIDI and read
// back; NotePerformance decoding against note_seq's; an empty primer; a random model's outputs are
// valid and reproducible; the log-likelihood of a NotePerformance is the sum over heads of
// log-softmax values computed here from the network's logits; `performance_rnn evaluate` and
// `generate` run on a note checkpoint.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../performance/test_sequences.h"
#include "base/file.h"
#include "generate/evaluate.h"
#include "generate/generate_job.h"
#include "generate/performance_generator.h"
#include "music/midi_reader.h"
#include "music/midi_writer.h"
#include "performance/encoder.h"
#include "model/checkpoint.h"

namespace prnn {
namespace {

const PerformanceConfig& note_config() {
  return find_performance_config("performance_with_dynamics_and_note_encoding");
}

// Random weights; shift-major class 0 (shifts under 0.77 s) made likely so that notes
// come often.
ParamArena random_note_model(uint64_t seed) {
  const PerformanceConfig& config = note_config();
  ParamArena params(NetworkShape{config.input_layout(), {16, 16}, config.output_heads()});
  glorot_uniform_init(params, seed);
  params.view(params.dense_biases())[0] = 4.0f;
  return params;
}

// Every head's logit for `classes[h]` raised far above the others: the network emits
// that tuple whatever it is fed. Heads [13, 77, 128, 32, 25, 40].
ParamArena forced_note_model(const std::array<int, 6>& classes) {
  ParamArena params = random_note_model(3);
  std::span<float> bias = params.view(params.dense_biases());
  int offset = 0;
  const std::vector<int> heads = note_config().output_heads();
  for (int h = 0; h < 6; ++h) {
    bias[offset + classes[h]] = 60.0f;
    offset += heads[h];
  }
  return params;
}

// Shift 20 (0·77 + 20), pitch 72, velocity bin 20 (class 19), duration 30 (29 = 0·40 + 29).
const std::array<int, 6> kForced = {0, 20, 72, 19, 0, 29};

TEST(NoteGeneration, NotePerformanceToSequenceMatchesNoteSeq) {
  // note_seq's NotePerformance (start step 51, 32 bins, built on an empty quantized
  // sequence) decoded with to_sequence(max_note_duration=5): the fixture holds the command.
  const std::string path =
      std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/note_performance_to_sequence.json";
  const nlohmann::json fixture = nlohmann::json::parse(read_file(path));
  magenta::NoteSequence empty;
  empty.mutable_quantization_info()->set_steps_per_second(100);
  NotePerformance performance = NotePerformance::from_quantized_sequence(empty, 51, 32);
  for (const auto& e : fixture["events"]) {
    performance.append({e[0].get<int>(), e[1].get<int>(), e[2].get<int>(), e[3].get<int>()});
  }
  EXPECT_EQ(performance.num_steps(), fixture["num_steps"].get<int64_t>());
  const magenta::NoteSequence sequence = performance.to_sequence();
  EXPECT_EQ(sequence.ticks_per_quarter(), fixture["ticks_per_quarter"].get<int>());
  EXPECT_NEAR(sequence.total_time(), fixture["total_time"].get<double>(), 1e-9);
  ASSERT_EQ(sequence.notes_size(), static_cast<int>(fixture["notes"].size()));
  for (int i = 0; i < sequence.notes_size(); ++i) {
    const auto& expected = fixture["notes"][i];
    const auto& note = sequence.notes(i);
    EXPECT_EQ(note.pitch(), expected[0].get<int>()) << i;
    EXPECT_EQ(note.velocity(), expected[1].get<int>()) << i;
    EXPECT_NEAR(note.start_time(), expected[2].get<double>(), 1e-9) << i;
    EXPECT_NEAR(note.end_time(), expected[3].get<double>(), 1e-9) << i;
    EXPECT_EQ(note.program(), expected[4].get<int>()) << i;
    EXPECT_EQ(note.instrument(), expected[5].get<int>()) << i;
    EXPECT_EQ(note.is_drum(), expected[6].get<bool>()) << i;
  }
}

TEST(NoteGeneration, ForcedTupleGivesTheNotesComputedByHand) {
  ParamArena params = forced_note_model(kForced);
  GenerationNetwork network(params, 2);
  GenerateOptions options;
  options.start_time = 0.5;
  options.end_time = 3.0;
  options.num_outputs = 2;
  auto out = generate_performances(network, note_config(), testing::chord_primer(), options);
  ASSERT_EQ(out.size(), 2u);
  // Primer tuples (0,60,25,50) (0,64,25,50) (0,67,25,50): 50 steps (Σ shifts + the last
  // duration; not padded). gen_start = int(50 + 1) = 51, gen_end = 300, total = 50 + 249
  // = 299. One pass asks ceil(4 · 15 · 249 / 100) = 150 events (then 20 · 150 + 30 ≥ 299).
  EXPECT_EQ(out[0].passes, std::vector<int>{150});
  // Onsets 20, 40, …, 280 (< 299): 14 notes, the last shortened from 30 to 19 steps.
  const std::string path = ::testing::TempDir() + "note_generation_forced.mid";
  note_sequence_to_midi_file(out[0].sequence, path);
  const magenta::NoteSequence read = midi_to_note_sequence(read_file(path), path);
  const magenta::NoteSequence& generated = out[0].sequence;
  ASSERT_EQ(generated.notes_size(), 3 + 14);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(generated.notes(i).pitch(), 60 + (i == 0 ? 0 : i == 1 ? 4 : 7));
    EXPECT_NEAR(generated.notes(i).start_time(), 0.0, 1e-9);
    EXPECT_NEAR(generated.notes(i).end_time(), 0.5, 1e-9);
    EXPECT_EQ(generated.notes(i).velocity(), 97);  // 100 → bin 25 → 97
  }
  for (int k = 1; k <= 14; ++k) {
    const auto& note = generated.notes(2 + k);
    EXPECT_EQ(note.pitch(), 72);
    EXPECT_EQ(note.velocity(), 77);  // bin 20 → 1 + 19 · 4
    EXPECT_NEAR(note.start_time(), 0.2 * k, 1e-9) << k;
    EXPECT_NEAR(note.end_time(), k < 14 ? 0.2 * k + 0.3 : 2.99, 1e-9) << k;
  }
  EXPECT_NEAR(generated.total_time(), 2.99, 1e-9);
  // The file holds the same notes (a MIDI note-off of pitch 72 also ends the overlapping
  // later 72, so only onsets are compared).
  ASSERT_EQ(read.notes_size(), 3 + 14);
  for (int i = 0; i < read.notes_size(); ++i) {
    EXPECT_EQ(read.notes(i).pitch(), generated.notes(i).pitch());
    EXPECT_EQ(read.notes(i).velocity(), generated.notes(i).velocity());
    EXPECT_NEAR(read.notes(i).start_time(), generated.notes(i).start_time(), 1e-3);
  }
  EXPECT_EQ(out[0].sequence.notes_size(), out[1].sequence.notes_size());
}

TEST(NoteGeneration, EmptyPrimerStartsAtTheSectionWithoutTheStartEvent) {
  ParamArena params = forced_note_model(kForced);
  GenerationNetwork network(params, 1);
  GenerateOptions options;
  options.start_time = 0;
  options.end_time = 3.0;
  auto out = generate_performances(network, note_config(), magenta::NoteSequence(), options);
  // gen_start = 1, total = 0 + 300 − 1 = 299 steps after step 1; the start event (pitch 60,
  // 1 step) at step 1 is not in the output.
  const auto& notes = out[0].sequence.notes();
  ASSERT_EQ(notes.size(), 14);
  for (int k = 1; k <= 14; ++k) {
    EXPECT_EQ(notes[k - 1].pitch(), 72);
    EXPECT_NEAR(notes[k - 1].start_time(), 0.01 + 0.2 * k, 1e-9) << k;
    EXPECT_NEAR(notes[k - 1].end_time(), k < 14 ? 0.01 + 0.2 * k + 0.3 : 3.0, 1e-9) << k;
  }
  EXPECT_LE(out[0].sequence.total_time(), 3.0 + 1e-5);
}

TEST(NoteGeneration, RandomModelGivesValidReproducibleOutputs) {
  ParamArena params = random_note_model(17);
  GenerationNetwork network(params, 6);
  GenerateOptions options;
  options.start_time = 0.5;
  options.end_time = 4.0;
  options.num_outputs = 3;
  options.seed = 11;
  options.search = {1.0, 2, 1, 4};  // beam 2
  auto first = generate_performances(network, note_config(), testing::chord_primer(), options);
  auto again = generate_performances(network, note_config(), testing::chord_primer(), options);
  for (int i = 0; i < 3; ++i) {
    const magenta::NoteSequence& s = first[i].sequence;
    EXPECT_EQ(s.SerializeAsString(), again[i].sequence.SerializeAsString());
    EXPECT_GT(s.notes_size(), 3);
    EXPECT_EQ(s.notes_size(), first[i].num_events);  // one note per tuple
    EXPECT_LE(s.total_time(), 4.0 + 1e-5);
    EXPECT_TRUE(std::isfinite(first[i].log_likelihood) && first[i].log_likelihood < 0);
    for (const auto& note : s.notes()) {
      EXPECT_GE(note.end_time() - note.start_time(), 0.01 - 1e-9);
      EXPECT_GE(note.velocity(), 1);
      EXPECT_LE(note.velocity(), 127);
    }
  }
  EXPECT_NE(first[0].sequence.SerializeAsString(), first[1].sequence.SerializeAsString());
}

// log softmax over one head, in double.
double head_log_softmax(std::span<const float> logits, int index) {
  double top = -INFINITY, total = 0;
  for (float l : logits) top = std::max<double>(top, l);
  for (float l : logits) total += std::exp(l - top);
  return logits[index] - top - std::log(total);
}

TEST(NoteGeneration, LogLikelihoodIsTheSumOverHeads) {
  const PerformanceConfig& config = note_config();
  ParamArena params = random_note_model(23);
  NotePerformance performance(0, 32);
  for (NoteEvent event :
       {NoteEvent{0, 60, 25, 50}, NoteEvent{0, 64, 20, 400}, NoteEvent{123, 67, 32, 1},
        NoteEvent{1000, 0, 1, 1000}, NoteEvent{7, 127, 5, 41}}) {
    performance.append(event);
  }
  // Expected: feed each tuple's six one-hots (classes from doc/magenta.md §6: Δ div 77,
  // Δ mod 77, pitch, bin − 1, (d − 1) div 40, (d − 1) mod 40) and add the six heads'
  // log-softmax of the next tuple's classes.
  const std::vector<std::array<int, 6>> classes = {{0, 0, 60, 24, 1, 9},
                                                   {0, 0, 64, 19, 9, 39},
                                                   {1, 46, 67, 31, 0, 0},
                                                   {12, 76, 0, 0, 24, 39},
                                                   {0, 7, 127, 4, 1, 0}};
  const std::vector<int> heads = config.output_heads();
  GenerationNetwork reference(params, 1, NetworkKernels::reference_twin());
  double expected = 0;
  for (size_t t = 0; t + 1 < classes.size(); ++t) {
    std::vector<int32_t> onehot(classes[t].begin(), classes[t].end());
    std::span<const float> logits = reference.step(1, onehot, {});
    for (int h = 0, offset = 0; h < 6; offset += heads[h], ++h) {
      expected += head_log_softmax(logits.subspan(offset, heads[h]), classes[t + 1][h]);
    }
  }
  GenerationNetwork network(params, 3, NetworkKernels::reference_twin());
  EXPECT_NEAR(performance_log_likelihood(network, config, performance, {}), expected, 1e-4);

  NotePerformance other(0, 32);
  for (NoteEvent event : {NoteEvent{3, 50, 2, 8}, NoteEvent{9, 52, 3, 9}}) other.append(event);
  PerformanceScore score = score_performances(network, config, {other, performance, other});
  EXPECT_EQ(score.performances, 3);
  EXPECT_EQ(score.events, 4 + 1 + 1);
  PerformanceScore alone = score_performances(network, config, {performance});
  EXPECT_NEAR(alone.nll, -expected, 1e-4);
  // Predicted tuples: shifts 0 + 123 + 1000 + 7, then the last duration 41.
  EXPECT_DOUBLE_EQ(alone.seconds, (0 + 123 + 1000 + 7 + 41) / 100.0);
}

struct Result {
  int status;
  std::string output;
};

Result run(const std::string& arguments) {
  const std::string command = std::string(PRNN_BINARY) + " " + arguments + " 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(NoteGeneration, GenerateAndEvaluateCommandsOnANoteCheckpoint) {
  const std::string dir = ::testing::TempDir() + "note_generation_commands";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/out");
  const std::string checkpoint = dir + "/note.safetensors";
  write_checkpoint(checkpoint,
                   make_checkpoint(std::string(note_config().name), "rnn_layer_sizes=[16,16]", 20,
                                   random_note_model(31), nullptr));
  Result generated = run("generate --checkpoint=" + checkpoint + " --output_dir=" + dir +
                         "/out --num_outputs=2 --num_steps=500 --seed=3 "
                         "--primer_melody=\"[60, -2, 62, -2, 64, -1]\"");
  ASSERT_EQ(generated.status, 0) << generated.output;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/out")) {
    const magenta::NoteSequence s =
        midi_to_note_sequence(read_file(entry.path().string()), entry.path().string());
    EXPECT_GT(s.notes_size(), 3);
    EXPECT_LE(s.total_time(), 5.0 + 1e-3);
    ++files;
  }
  EXPECT_EQ(files, 2);

  // 40 notes, 0.1 s apart: one segment, 40 tuples, 39 predicted.
  magenta::NoteSequence piece;
  for (int i = 0; i < 40; ++i) {
    auto* note = piece.add_notes();
    note->set_pitch(60 + i % 7);
    note->set_velocity(70);
    note->set_start_time(i * 0.1);
    note->set_end_time(i * 0.1 + 0.25);
  }
  piece.set_total_time(3.9 + 0.25);
  note_sequence_to_midi_file(piece, dir + "/piece.mid");
  Result evaluated = run("evaluate --checkpoint=" + checkpoint + " --input=" + dir +
                         "/piece.mid --log_likelihood");
  ASSERT_EQ(evaluated.status, 0) << evaluated.output;
  const std::string last =
      evaluated.output.substr(evaluated.output.find_last_of('\n', evaluated.output.size() - 2) + 1);
  const nlohmann::json summary = nlohmann::json::parse(last);
  EXPECT_EQ(summary["events"], 39);
  EXPECT_NEAR(summary["seconds"].get<double>(), 3.9 + 0.25, 1e-9);
  const double nll = summary["nll_per_event"].get<double>();
  // A random model: about the sum of the heads' log class counts (ln 13·77·128·32·25·40).
  EXPECT_GT(nll, 10.0);
  EXPECT_LT(nll, 40.0);
}

}  // namespace
}  // namespace prnn
