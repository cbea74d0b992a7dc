// The studio's models folder: every event-encoded config plays (here performance, without
// dynamics, next to the fixtures' with-dynamics and conditioned ones); a note-encoding
// model and a file that does not load are listed as unplayable with the reason, and the
// same files named explicitly are errors.
#include "studio/model_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "base/error.h"
#include "generate/performance_stream.h"
#include "nn/param_arena.h"
#include "performance/config.h"
#include "studio/studio_engine.h"
#include "studio_test_models.h"
#include "model/checkpoint.h"

namespace prnn {
namespace {

std::string write_random_model(const std::string& dir, const std::string& config_name) {
  const PerformanceConfig& config = find_performance_config(config_name);
  ParamArena params(NetworkShape{config.input_layout(), {8, 8}, config.output_heads()});
  glorot_uniform_init(params, 17);
  const std::string path = dir + "/" + config_name + ".safetensors";
  write_checkpoint(path, make_checkpoint(config_name, "rnn_layer_sizes=[8,8]", 1, params, nullptr));
  return path;
}

class ModelCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::studio_models_dir();
    performance_ = write_random_model(dir_, "performance");
    note_ = write_random_model(dir_, "performance_with_dynamics_and_note_encoding");
    std::ofstream(dir_ + "/broken.mag") << "not a bundle";
  }
  void TearDown() override {
    for (const std::string& path : {performance_, note_, dir_ + "/broken.mag"}) {
      std::filesystem::remove(path);
    }
  }
  std::string dir_, performance_, note_;
};

TEST_F(ModelCatalogTest, OffersEveryEventEncodingAndSaysWhyNotTheRest) {
  const ModelCatalog catalog(dir_, "");
  ASSERT_GE(catalog.find("performance.safetensors"), 0);
  EXPECT_GE(catalog.find("unconditioned_3x8.mag"), 0);
  EXPECT_GE(catalog.find("conditioned_2x8.mag"), 0);
  EXPECT_LT(catalog.find("performance_with_dynamics_and_note_encoding.safetensors"), 0);
  ASSERT_EQ(catalog.unplayable().size(), 2u);
  const UnplayableModel& broken = catalog.unplayable()[0];
  const UnplayableModel& note = catalog.unplayable()[1];
  EXPECT_EQ(broken.name, "broken.mag");
  EXPECT_EQ(broken.config, "");
  EXPECT_NE(broken.reason.find("broken.mag"), std::string::npos) << broken.reason;
  EXPECT_EQ(note.name, "performance_with_dynamics_and_note_encoding.safetensors");
  EXPECT_EQ(note.config, "performance_with_dynamics_and_note_encoding");
  EXPECT_NE(note.reason.find("note-encoding"), std::string::npos) << note.reason;
  EXPECT_THROW(ModelCatalog(dir_, note_), InputError);
  EXPECT_THROW(ModelCatalog(dir_, dir_ + "/broken.mag"), InputError);
}

// A model without dynamics plays: its client gets its PerformanceStream's notes, all at
// the default velocity (the encoding has no velocity events).
TEST_F(ModelCatalogTest, AModelWithoutDynamicsPlays) {
  const ModelCatalog catalog(dir_, "");
  const StudioModel& m = *catalog.models()[catalog.find("performance.safetensors")];
  StudioEngine engine(catalog, {.lookahead = 0.5, .capacity = 2});
  engine.add_client(1, 23);
  ClientMessage choose;
  choose.type = ClientMessage::Type::kControls;
  choose.seq = 1;
  choose.model = "performance.safetensors";
  engine.apply(1, choose, 0);
  std::vector<StudioNote> notes;
  for (int i = 0; i <= 40 && notes.size() < 30; ++i) {
    ClientMessage played;
    played.played = 0.25 * i;
    engine.apply(1, played, played.played);
    while (engine.step() > 0) {
    }
    std::vector<StudioEngine::Output> out;
    engine.take_outputs(out);
    for (const auto& o : out) notes.insert(notes.end(), o.notes.begin(), o.notes.end());
  }
  ASSERT_GE(notes.size(), 10u);
  PerformanceStream reference(*m.model.config, m.model.params, 23 + 0);
  int64_t steps = 0;
  size_t i = 0;
  while (i < notes.size()) {
    const PerformanceEvent e = reference.next();
    ASSERT_NE(e.type, EventType::kVelocity);
    if (e.type == EventType::kTimeShift) steps += e.value;
    if (e.type != EventType::kNoteOn && e.type != EventType::kNoteOff) continue;
    EXPECT_DOUBLE_EQ(notes[i].time, steps / 100.0) << "note " << i;
    EXPECT_EQ(notes[i].pitch, e.value) << "note " << i;
    EXPECT_EQ(notes[i].velocity, e.type == EventType::kNoteOn ? 100 : 0) << "note " << i;
    ++i;
  }
}

// Each model's weights are packed once per kernels, whoever asks and from whichever thread:
// every engine's network of a model reads one copy.
TEST_F(ModelCatalogTest, EachModelPacksItsWeightsOncePerKernels) {
  const ModelCatalog catalog(dir_, "");
  const StudioModel& m = *catalog.models()[catalog.find("performance.safetensors")];
  const NetworkKernels fast = NetworkKernels::fast(), reference = NetworkKernels::reference_twin();
  std::shared_ptr<const GenerationWeights> from_thread;
  std::thread other([&] { from_thread = m.weights(fast); });
  const std::shared_ptr<const GenerationWeights> here = m.weights(fast);
  other.join();
  EXPECT_EQ(here.get(), from_thread.get());
  EXPECT_EQ(here->kernels.name(), fast.name());
  const std::shared_ptr<const GenerationWeights> twin = m.weights(reference);
  EXPECT_NE(twin.get(), here.get());
  EXPECT_TRUE(twin->kernels.reference);
  EXPECT_EQ(m.weights(reference).get(), twin.get());
}

}  // namespace
}  // namespace prnn
