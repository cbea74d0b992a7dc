// Golden cases 10-12 of doc/magenta.md §11 (performance_encoder_decoder_test), the
// modulo example of §6 and the configuration table of §9.
#include "performance/encoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "performance/config.h"
#include "test_sequences.h"

namespace prnn {
namespace {

using testing::parse_events;

TEST(EncoderGolden, Case10OneHotIndices) {
  const std::vector<std::pair<std::string, int>> cases = {
      {"ON60", 60},  {"ON127", 127}, {"OFF0", 128}, {"OFF72", 200}, {"OFF127", 255}, {"TS1", 256},
      {"TS10", 265}, {"TS100", 355}, {"VEL1", 356}, {"VEL5", 360},  {"VEL16", 371}};
  for (const auto& [text, index] : cases) {
    const PerformanceEvent event = parse_events(text)[0];
    EXPECT_EQ(event_to_class(event), index) << text;
    EXPECT_EQ(class_to_event(index), event) << text;
  }
  const auto& config = find_performance_config("performance_with_dynamics");
  EXPECT_EQ(config.labels_to_num_steps(std::vector<int64_t>{60, 265, 356, 355}), 110);
}

TEST(EncoderGolden, Case11Modulo) {
  const auto& config = find_performance_config("performance_with_dynamics_and_modulo_encoding");
  EXPECT_EQ(config.magenta_input_size(), 16);
  EXPECT_EQ(config.num_event_classes(), 388);
  PerformanceEncoder encoder(config);
  float in[16];
  encoder.encode_input(parse_events("ON60")[0], nullptr, in, nullptr);
  const float on60[16] = {1, -0.8660254f, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(in[i], on60[i], 1e-6) << i;
  encoder.encode_input(parse_events("OFF72")[0], nullptr, in, nullptr);
  EXPECT_EQ(in[5], 1.0f);
  EXPECT_NEAR(in[6], std::cos(72 * M_PI / 72), 1e-6);
  EXPECT_NEAR(in[8], 1.0, 1e-6);  // pitch class 0
  encoder.encode_input(parse_events("TS10")[0], nullptr, in, nullptr);
  EXPECT_EQ(in[10], 1.0f);
  EXPECT_NEAR(in[11], std::cos(2 * M_PI * 9 / 100), 1e-6);
  EXPECT_NEAR(in[12], std::sin(2 * M_PI * 9 / 100), 1e-6);
  encoder.encode_input(parse_events("VEL5")[0], nullptr, in, nullptr);
  EXPECT_EQ(in[13], 1.0f);
  EXPECT_NEAR(in[14], std::cos(2 * M_PI * 4 / 32), 1e-6);
  int nonzero = 0;
  for (float v : in) nonzero += v != 0.0f;
  EXPECT_EQ(nonzero, 3);
}

TEST(EncoderGolden, Case12NoteEncoding) {
  EXPECT_EQ(optimal_num_segments(100), 10);  // shift 99 → 100 values
  EXPECT_EQ(optimal_num_segments(500), 20);
  EXPECT_EQ(optimal_num_segments(1001), 13);
  EXPECT_EQ(optimal_num_segments(1000), 25);
  const auto& config = find_performance_config("performance_with_dynamics_and_note_encoding");
  EXPECT_EQ(config.output_heads(), (std::vector<int>{13, 77, 128, 32, 25, 40}));
  EXPECT_EQ(config.magenta_input_size(), 315);
  const NoteEncodingSizes small = note_encoding_sizes(99, 500);
  EXPECT_EQ(small.shift_segments, 10);
  EXPECT_EQ(small.duration_segments, 20);
  EXPECT_EQ(note_event_to_classes({0, 60, 13, 401}, small),
            (std::array<int, 6>{0, 0, 60, 12, 16, 0}));
  EXPECT_EQ(note_event_to_classes({55, 64, 13, 310}, small),
            (std::array<int, 6>{5, 5, 64, 12, 12, 9}));
  EXPECT_EQ(note_event_to_classes({99, 67, 16, 100}, small),
            (std::array<int, 6>{9, 9, 67, 15, 3, 24}));
  EXPECT_EQ(note_event_to_classes({0, 67, 16, 500}, small),
            (std::array<int, 6>{0, 0, 67, 15, 19, 24}));
  const NoteEvent event{155, 64, 13, 310};
  const auto classes = note_event_to_classes(event);
  EXPECT_EQ(classes_to_note_event(classes), event);
  PerformanceEncoder encoder(config);
  int32_t onehot[6];
  encoder.encode_input(event, nullptr, onehot);
  std::vector<float> full(315);
  encoder.expand_magenta_input(nullptr, onehot, full.data());
  int nonzero = 0;
  for (float v : full) nonzero += v != 0.0f;
  EXPECT_EQ(nonzero, 6);
  EXPECT_EQ(full[2], 1.0f);             // shift major 2
  EXPECT_EQ(full[13 + 1], 1.0f);        // shift minor 1
  EXPECT_EQ(full[13 + 77 + 64], 1.0f);  // pitch
}

TEST(ConfigTable, SizesMatchMagenta) {
  const std::vector<std::pair<std::string, int>> sizes = {
      {"performance", 356},
      {"performance_with_dynamics", 388},
      {"performance_with_dynamics_compact", 1},
      {"performance_with_dynamics_and_modulo_encoding", 16},
      {"performance_with_dynamics_and_note_encoding", 315},
      {"density_conditioned_performance_with_dynamics", 396},
      {"pitch_conditioned_performance_with_dynamics", 400},
      {"multiconditioned_performance_with_dynamics", 408},
      {"optional_multiconditioned_performance_with_dynamics", 409}};
  ASSERT_EQ(performance_configs().size(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(performance_configs()[i].name, sizes[i].first);
    EXPECT_EQ(performance_configs()[i].magenta_input_size(), sizes[i].second) << sizes[i].first;
  }
  EXPECT_EQ(find_performance_config("performance_with_dynamics_compact").generator_id,
            "performance_with_dynamics");
  EXPECT_EQ(find_performance_config("performance").num_event_classes(), 356);
  EXPECT_EQ(find_performance_config("multiconditioned_performance_with_dynamics").input_layout(),
            (InputLayout{20, {388}}));
  EXPECT_EQ(
      find_performance_config("optional_multiconditioned_performance_with_dynamics").input_layout(),
      (InputLayout{21, {388}}));
  EXPECT_EQ(find_performance_config("performance_with_dynamics_and_modulo_encoding").input_layout(),
            (InputLayout{16, {}}));
  try {
    find_performance_config("nope");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("multiconditioned_performance_with_dynamics"),
              std::string::npos);
  }
}

TEST(EncoderGolden, OptionalConditioningLayout) {
  const auto& config =
      find_performance_config("optional_multiconditioned_performance_with_dynamics");
  PerformanceEncoder encoder(config);
  ControlValues controls;
  controls.note_density = 3.0;  // class 2
  float dense[21];
  int32_t onehot[1];
  encoder.encode_input(parse_events("TS10")[0], &controls, dense, onehot);
  EXPECT_EQ(dense[0], 0.0f);
  EXPECT_EQ(dense[1 + 2], 1.0f);
  EXPECT_NEAR(dense[9], 1.0 / 12, 1e-7);
  EXPECT_EQ(onehot[0], 265);
  controls.disable_conditioning = true;
  encoder.encode_input(parse_events("TS10")[0], &controls, dense, onehot);
  EXPECT_EQ(dense[0], 1.0f);
  for (int i = 1; i < 21; ++i) EXPECT_EQ(dense[i], 0.0f);
}

}  // namespace
}  // namespace prnn
