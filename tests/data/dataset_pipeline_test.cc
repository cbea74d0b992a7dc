// The dataset pipeline against outputs of note_seq (tests/fixtures/performance, made by
// make_pipeline_goldens.py): Magenta's create_dataset test case (35 examples) and the
// eval split of two ASAP excerpts for every configuration, compared value for value in
// Magenta's input layout; plus the compact layout's relation to it.
#include "data/dataset_pipeline.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "data/sequence_example.h"
#include "music/sequences.h"
#include "base/tfrecord.h"
#include "proto/tf_example.pb.h"

namespace prnn {
namespace {

const std::string kFixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/performance/";

struct GoldenExample {
  int steps = 0;
  int label_width = 0;
  std::vector<int64_t> labels;
  std::vector<std::vector<std::pair<int, float>>> inputs;  // non-zero entries per step
};

std::vector<GoldenExample> read_golden(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<GoldenExample> examples;
  std::string line;
  while (std::getline(in, line)) {
    GoldenExample example;
    std::istringstream header(line);
    std::string word;
    header >> word >> example.steps >> example.label_width;
    EXPECT_EQ(word, "example");
    std::getline(in, line);
    std::istringstream labels(line);
    int64_t label;
    while (labels >> label) example.labels.push_back(label);
    for (int t = 0; t < example.steps; ++t) {
      std::getline(in, line);
      std::istringstream entries(line);
      std::vector<std::pair<int, float>> step;
      std::string entry;
      while (entries >> entry) {
        const size_t colon = entry.find(':');
        step.push_back({std::stoi(entry.substr(0, colon)),
                        static_cast<float>(std::stod(entry.substr(colon + 1)))});
      }
      example.inputs.push_back(step);
    }
    examples.push_back(std::move(example));
  }
  return examples;
}

std::vector<tensorflow::SequenceExample> unframe(const std::string& records) {
  std::vector<tensorflow::SequenceExample> examples;
  size_t at = 0;
  while (at < records.size()) {
    uint64_t length;
    std::memcpy(&length, records.data() + at, 8);
    tensorflow::SequenceExample example;
    EXPECT_TRUE(example.ParseFromArray(records.data() + at + 12, static_cast<int>(length)));
    examples.push_back(example);
    at += 16 + length;
  }
  return examples;
}

std::vector<magenta::NoteSequence> asap_excerpts() {
  std::vector<magenta::NoteSequence> sequences;
  TFRecordReader reader(kFixtures + "asap_sequences.tfrecord");
  while (auto record = reader.next()) {
    sequences.emplace_back();
    EXPECT_TRUE(sequences.back().ParseFromString(*record));
  }
  return sequences;
}

void expect_matches(const std::vector<tensorflow::SequenceExample>& actual,
                    const std::vector<GoldenExample>& expected, int input_width,
                    const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t e = 0; e < expected.size(); ++e) {
    const auto& lists = actual[e].feature_lists().feature_list();
    const auto& inputs = lists.at("inputs").feature();
    const auto& labels = lists.at("labels").feature();
    ASSERT_EQ(inputs.size(), expected[e].steps) << what << " example " << e;
    ASSERT_EQ(labels.size(), expected[e].steps) << what << " example " << e;
    for (int t = 0; t < expected[e].steps; ++t) {
      const auto& label = labels[t].int64_list().value();
      ASSERT_EQ(label.size(), expected[e].label_width);
      for (int k = 0; k < label.size(); ++k) {
        ASSERT_EQ(label[k], expected[e].labels[t * expected[e].label_width + k])
            << what << " example " << e << " step " << t;
      }
      const auto& values = inputs[t].float_list().value();
      ASSERT_EQ(values.size(), input_width);
      std::vector<float> dense(input_width, 0.0f);
      for (auto [index, value] : expected[e].inputs[t]) dense[index] = value;
      for (int i = 0; i < input_width; ++i) {
        ASSERT_EQ(values[i], dense[i]) << what << " example " << e << " step " << t << " at " << i;
      }
    }
  }
}

TEST(DatasetPipelineGolden, CreateDatasetCaseGives35Examples) {
  magenta::NoteSequence sequence;
  const double notes[][4] = {{36, 100, 0.00, 2.0},  {40, 55, 2.1, 5.0},   {44, 80, 3.6, 5.0},
                             {41, 45, 5.1, 8.0},    {64, 100, 6.6, 10.0}, {55, 120, 8.1, 11.0},
                             {39, 110, 9.6, 9.7},   {53, 99, 11.1, 14.1}, {51, 40, 12.6, 13.0},
                             {55, 100, 14.1, 15.0}, {54, 90, 15.6, 17.0}, {60, 100, 17.1, 18.0}};
  for (const auto& n : notes) {
    auto* note = sequence.add_notes();
    note->set_pitch(static_cast<int>(n[0]));
    note->set_velocity(static_cast<int>(n[1]));
    note->set_start_time(n[2]);
    note->set_end_time(n[3]);
  }
  sequence.set_total_time(18.0);
  const auto& config = find_performance_config("performance");
  DatasetOptions options;
  options.onehot_inputs = true;
  DatasetPipeline pipeline(config, options);
  Statistics stats;
  PipelineOutput output;
  pipeline.process(sequence, Split::kTraining, &stats, &output);
  EXPECT_EQ(output.examples, 35);
  EXPECT_EQ(stats.counter("DAGPipeline_TranspositionPipeline_training_transpositions_generated"),
            35);
  expect_matches(unframe(output.records), read_golden(kFixtures + "create_dataset_case.txt"), 356,
                 "create_dataset case");
}

TEST(DatasetPipelineGolden, AsapExcerptsEveryConfigMatchNoteSeq) {
  const auto sequences = asap_excerpts();
  ASSERT_EQ(sequences.size(), 2u);
  for (const auto& config : performance_configs()) {
    DatasetOptions options;
    options.onehot_inputs = true;
    DatasetPipeline pipeline(config, options);
    Statistics stats;
    PipelineOutput output;
    for (const auto& sequence : sequences) {
      pipeline.process(sequence, Split::kEval, &stats, &output);
    }
    expect_matches(unframe(output.records),
                   read_golden(kFixtures + "asap_" + std::string(config.name) + ".txt"),
                   config.magenta_input_size(), std::string(config.name));
  }
}

TEST(DatasetPipeline, CompactLayoutHoldsTheSameInformation) {
  const auto sequences = asap_excerpts();
  for (const auto& config : performance_configs()) {
    DatasetOptions compact_options, onehot_options;
    onehot_options.onehot_inputs = true;
    PipelineOutput compact, onehot;
    Statistics stats;
    DatasetPipeline(config, compact_options).process(sequences[0], Split::kEval, &stats, &compact);
    DatasetPipeline(config, onehot_options).process(sequences[0], Split::kEval, &stats, &onehot);
    const auto a = unframe(compact.records), b = unframe(onehot.records);
    ASSERT_EQ(a.size(), b.size());
    const InputLayout layout = config.input_layout();
    for (size_t e = 0; e < a.size(); ++e) {
      const auto& ca = a[e].feature_lists().feature_list().at("inputs").feature();
      const auto& cb = b[e].feature_lists().feature_list().at("inputs").feature();
      for (int t = 0; t < ca.size(); ++t) {
        const auto& small = ca[t].float_list().value();
        const auto& full = cb[t].float_list().value();
        ASSERT_EQ(small.size(), config.compact_input_size());
        for (int i = 0; i < layout.dense_size; ++i) ASSERT_EQ(small[i], full[i]);
        if (config.encoding == EventEncoding::kOneHotIndex) {
          ASSERT_EQ(small[layout.dense_size], full[layout.dense_size]);
          continue;
        }
        int offset = layout.dense_size;
        for (int g = 0; g < layout.num_groups(); ++g) {
          const int index = static_cast<int>(small[layout.dense_size + g]);
          ASSERT_EQ(full[offset + index], 1.0f);
          offset += layout.onehot_sizes[g];
        }
      }
      EXPECT_EQ(a[e].feature_lists().feature_list().at("labels").SerializeAsString(),
                b[e].feature_lists().feature_list().at("labels").SerializeAsString());
    }
  }
}

// The pipeline extracts once per segment and shifts pitches for each transposition; its
// slow twin transposes the sequence and extracts every copy, as Magenta does.
TEST(DatasetPipeline, SharedExtractionMatchesTransposingEachCopy) {
  const auto sequences = asap_excerpts();
  const auto& config = find_performance_config("multiconditioned_performance_with_dynamics");
  DatasetOptions options;
  DatasetPipeline pipeline(config, options);
  Statistics stats;
  PipelineOutput fast;
  pipeline.process(sequences[1], Split::kTraining, &stats, &fast);

  PerformanceEncoder encoder(config);
  std::string slow;
  for (double factor : {0.95, 0.975, 1.0, 1.025, 1.05}) {
    for (const auto& segment : split_note_sequence(
             stretch_note_sequence(apply_sustain_control_changes(sequences[1]), factor), 30.0)) {
      const auto quantized = quantize_note_sequence_absolute(segment, 100);
      for (int amount = -3; amount <= 3; ++amount) {
        const auto copy = transpose_within_range(quantized, amount);
        if (!copy) continue;
        auto performance = Performance::from_quantized_sequence(*copy, 0, 32);
        performance.truncate(512);
        if (performance.size() < 32) continue;
        EncodedExample encoded;
        encoder.encode(performance, false, &encoded);
        std::vector<float> inputs(encoded.num_steps * config.compact_input_size());
        for (int t = 0; t < encoded.num_steps; ++t) {
          encoder.compact_input(&encoded.dense[t * 20], &encoded.onehot[t],
                                &inputs[t * config.compact_input_size()]);
        }
        append_sequence_example_record(inputs, config.compact_input_size(), encoded.labels, 1,
                                       &slow);
      }
    }
  }
  EXPECT_GT(fast.examples, 100);
  EXPECT_TRUE(fast.records == slow);
}

}  // namespace
}  // namespace prnn
