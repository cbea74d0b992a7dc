// Property tests over a sample of the ASAP performances (every 40th of metadata.csv):
// decode(encode(events)) == events, events -> NoteSequence -> events is stable, every
// label is a valid class, input t+1 encodes label t, control vectors sum as specified.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "base/file.h"
#include "music/midi_reader.h"
#include "music/sequences.h"
#include "performance/encoder.h"
#include "performance/note_performance.h"
#include "../shared_data.h"

namespace prnn {
namespace {

const std::string kAsap = test_data::shared_dir() + "/data/asap/";

// Quantized 30 s segments (at most three per performance) of the sampled performances.
const std::vector<magenta::NoteSequence>& sample_segments() {
  static const std::vector<magenta::NoteSequence> segments = [] {
    std::vector<magenta::NoteSequence> result;
    std::ifstream metadata(kAsap + "metadata.csv");
    std::string line;
    std::getline(metadata, line);
    for (int row = 0; std::getline(metadata, line); ++row) {
      if (row % 40 != 0) continue;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::string path = kAsap + line.substr(line.rfind(',') + 1);
      const auto sequence = midi_to_note_sequence(read_file(path), path);
      const auto parts = split_note_sequence(apply_sustain_control_changes(sequence), 30.0);
      for (size_t i = 0; i < parts.size() && i < 3; ++i) {
        result.push_back(quantize_note_sequence_absolute(parts[i], 100));
      }
    }
    return result;
  }();
  return segments;
}

TEST(PerformanceProperties, SampleIsNotEmpty) {
  PRNN_REQUIRE_SHARED_DATA();
  EXPECT_GE(sample_segments().size(), 40u);
}

TEST(PerformanceProperties, ClassIndicesRoundTrip) {
  PRNN_REQUIRE_SHARED_DATA();
  for (const auto& segment : sample_segments()) {
    for (int bins : {0, 32}) {
      const auto performance = Performance::from_quantized_sequence(segment, 0, bins);
      const int classes = 256 + 100 + bins;
      for (const auto& event : performance.events()) {
        const int index = event_to_class(event);
        ASSERT_GE(index, 0);
        ASSERT_LT(index, classes);
        ASSERT_EQ(class_to_event(index), event);
      }
    }
    NotePerformance notes(0, 32);
    try {
      notes = NotePerformance::from_quantized_sequence(segment, 0, 32);
    } catch (const InputError&) {
      continue;  // a note longer than 10 s: the extractor discards such segments
    }
    for (const auto& event : notes.events()) {
      const auto classes = note_event_to_classes(event);
      ASSERT_EQ(classes_to_note_event(classes), event);
    }
  }
}

TEST(PerformanceProperties, EventsToSequenceToEventsIsStable) {
  PRNN_REQUIRE_SHARED_DATA();
  for (const auto& segment : sample_segments()) {
    auto performance = Performance::from_quantized_sequence(segment, 0, 32);
    performance.truncate(512);
    auto round_trip = [](const Performance& p) {
      auto sequence = quantize_note_sequence_absolute(
          p.to_sequence(100, 0, std::nullopt, /*max_note_duration=*/0.0), 100);
      return Performance::from_quantized_sequence(sequence, 0, 32);
    };
    const Performance once = round_trip(performance);
    const Performance twice = round_trip(once);
    ASSERT_EQ(events_to_string(once.events()), events_to_string(twice.events()));
    // Decoding the round-tripped events gives the same notes (as a multiset).
    auto notes = [](const Performance& p) {
      std::vector<std::tuple<double, double, int, int>> result;
      const magenta::NoteSequence sequence =
          p.to_sequence(100, 0, std::nullopt, /*max_note_duration=*/0.0);
      for (const auto& n : sequence.notes()) {
        result.emplace_back(n.start_time(), n.end_time(), n.pitch(), n.velocity());
      }
      std::sort(result.begin(), result.end());
      return result;
    };
    ASSERT_EQ(notes(once), notes(performance));
  }
}

TEST(PerformanceProperties, EncodedExamplesAreConsistent) {
  PRNN_REQUIRE_SHARED_DATA();
  for (const auto& config : performance_configs()) {
    PerformanceEncoder encoder(config);
    const InputLayout layout = config.input_layout();
    const auto heads = config.output_heads();
    for (const auto& segment : sample_segments()) {
      EncodedExample example;
      if (config.note_performance()) {
        NotePerformance performance(0, 32);
        try {
          performance = NotePerformance::from_quantized_sequence(segment, 0, 32);
        } catch (const InputError&) {
          continue;  // a note longer than 10 s: the extractor discards such segments
        }
        performance.truncate(512);
        encoder.encode(performance, &example);
      } else {
        auto performance =
            Performance::from_quantized_sequence(segment, 0, config.num_velocity_bins);
        performance.truncate(512);
        encoder.encode(performance, /*disable_conditioning=*/false, &example);
      }
      const int h = static_cast<int>(heads.size());
      const int g = layout.num_groups();
      const int d = layout.dense_size;
      for (int t = 0; t < example.num_steps; ++t) {
        for (int k = 0; k < h; ++k) {
          const int64_t label = example.labels[t * h + k];
          ASSERT_GE(label, 0);
          ASSERT_LT(label, heads[k]) << config.name;
        }
        // Input t+1 encodes label t.
        if (t + 1 < example.num_steps && g > 0) {
          for (int k = 0; k < g; ++k) {
            ASSERT_EQ(example.onehot[(t + 1) * g + k], example.labels[t * h + k]) << config.name;
          }
        }
        const float* dense = example.dense.data() + static_cast<size_t>(t) * d;
        int offset = config.optional_conditioning ? 1 : 0;
        if (config.optional_conditioning) ASSERT_EQ(dense[0], 0.0f);
        if (config.note_density) {
          ASSERT_EQ(std::accumulate(dense + offset, dense + offset + 8, 0.0f), 1.0f);
          offset += 8;
        }
        if (config.pitch_histogram) {
          ASSERT_NEAR(std::accumulate(dense + offset, dense + offset + 12, 0.0), 1.0, 1e-5);
          for (int k = 0; k < 12; ++k) ASSERT_GE(dense[offset + k], 0.0f);
        }
      }
      if (config.optional_conditioning) {
        auto performance = Performance::from_quantized_sequence(segment, 0, 32);
        EncodedExample disabled;
        encoder.encode(performance, /*disable_conditioning=*/true, &disabled);
        for (int t = 0; t < disabled.num_steps; ++t) {
          const float* dense = disabled.dense.data() + static_cast<size_t>(t) * d;
          ASSERT_EQ(dense[0], 1.0f);
          for (int i = 1; i < d; ++i) ASSERT_EQ(dense[i], 0.0f);
        }
      }
    }
  }
}

}  // namespace
}  // namespace prnn
