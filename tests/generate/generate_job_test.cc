// The generate job's own flags: --save_generator_bundle round trip, --run_dir, --primer_midi,
// --exclude_primer (outputs read back with the MIDI reader).
#include "generate/generate_job.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file.h"
#include "model/generator_bundle.h"
#include "model/generation_model.h"
#include "music/midi_reader.h"
#include "model/checkpoint.h"
#include "model/run_dir.h"
#include "../shared_data.h"

namespace prnn {
namespace {

const std::string kFixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/";

std::string fresh_dir(const std::string& name) {
  std::string dir = testing::TempDir() + "generate_job_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

magenta::NoteSequence read_midi(const std::string& path) {
  return midi_to_note_sequence(read_file(path), path);
}

TEST(GenerateJob, SaveBundleFromRunDirThenGenerateTheSame) {
  GenerationModel magenta = load_bundle_model(kFixtures + "magenta_layout_3x8.mag");
  const std::string run_dir = fresh_dir("run");
  std::filesystem::create_directories(run_dir + "/train");
  write_checkpoint(checkpoint_path(run_dir + "/train", 40),
                   make_checkpoint("performance_with_dynamics", "rnn_layer_sizes=[8,8,8]", 40,
                                   magenta.params, nullptr));
  GenerateJob save;
  save.save_generator_bundle = true;
  save.run_dir = run_dir;
  save.bundle_file = run_dir + "/model.mag";
  save.bundle_description = "three layers of eight";
  EXPECT_TRUE(run_generate_job(save).empty());
  GeneratorBundleContents bundle = read_generator_bundle(save.bundle_file);
  EXPECT_EQ(bundle.generator_id, "performance_with_dynamics");
  EXPECT_EQ(bundle.bundle_description, "three layers of eight");
  EXPECT_EQ(load_bundle_model(save.bundle_file).params.values, magenta.params.values);

  GenerateJob from_run;
  from_run.run_dir = run_dir;
  from_run.output_dir = fresh_dir("from_run");
  from_run.num_outputs = 2;
  from_run.num_steps = 300;
  from_run.seed = 4;
  GenerateJob from_bundle = from_run;
  from_bundle.run_dir.clear();
  from_bundle.bundle_file = save.bundle_file;
  from_bundle.output_dir = fresh_dir("from_bundle");
  auto a = run_generate_job(from_run), b = run_generate_job(from_bundle);
  ASSERT_EQ(a.size(), 2u);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(read_file(a[i]), read_file(b[i]));
}

TEST(GenerateJob, MidiPrimerIsKeptOrExcluded) {
  PRNN_REQUIRE_SHARED_DATA();
  const std::string primer = test_data::shared_dir() + "/data/note_seq/example.mid";
  GenerateJob job;
  job.bundle_file = kFixtures + "magenta_layout_3x8.mag";
  job.primer_midi = primer;
  job.num_outputs = 1;
  job.num_steps = 500;
  job.seed = 2;
  job.output_dir = fresh_dir("midi_primer");
  magenta::NoteSequence kept = read_midi(run_generate_job(job)[0]);
  // example.mid: 8 notes, the first 60 at 0–0.2375 s (doc/magenta.md §11, case 30).
  ASSERT_GE(kept.notes_size(), 8);
  EXPECT_EQ(kept.notes(0).pitch(), 60);
  EXPECT_NEAR(kept.notes(0).start_time(), 0.0, 1e-6);
  EXPECT_NEAR(kept.notes(0).end_time(), 0.24, 0.006);  // quantized to 10 ms

  job.exclude_primer = true;
  job.output_dir = fresh_dir("midi_primer_excluded");
  magenta::NoteSequence excluded = read_midi(run_generate_job(job)[0]);
  EXPECT_EQ(excluded.notes_size(), kept.notes_size() - 8);
  for (const auto& note : excluded.notes()) EXPECT_GE(note.start_time(), 0.0);
  EXPECT_LE(excluded.total_time(), 5.0 - 1.9875 + 0.02);
}

}  // namespace
}  // namespace prnn
