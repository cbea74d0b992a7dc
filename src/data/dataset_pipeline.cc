#include "data/dataset_pipeline.h"

#include <algorithm>

#include "data/sequence_example.h"
#include "music/sequences.h"
#include "performance/example_encoding.h"

namespace prnn {
namespace {

const std::vector<double> kTrainingStretchFactors = {0.95, 0.975, 1.0, 1.025, 1.05};
const std::vector<int> kTrainingTranspositions = {-3, -2, -1, 0, 1, 2, 3};

std::string unit(const char* name, const std::string& split) {
  return std::string("DAGPipeline_") + name + "_" + split + "_";
}

template <typename P>
P transposed(const P& performance, int amount) {
  P copy = performance;
  if constexpr (std::is_same_v<P, Performance>) {
    for (auto& event : copy.mutable_events()) {
      if (event.type == EventType::kNoteOn || event.type == EventType::kNoteOff) {
        event.value += amount;
      }
    }
  } else {
    NotePerformance shifted(copy.start_step(), copy.num_velocity_bins());
    for (NoteEvent event : copy.events()) {
      event.pitch += amount;
      shifted.append(event);
    }
    return shifted;
  }
  return copy;
}

}  // namespace

const char* split_name(Split split) { return split == Split::kTraining ? "training" : "eval"; }

DatasetPipeline::DatasetPipeline(const PerformanceConfig& config, DatasetOptions options)
    : config_(config), options_(options), encoder_(config), num_heads_(config.num_heads()) {}

int DatasetPipeline::file_input_width() const {
  return options_.onehot_inputs ? config_.magenta_input_size() : config_.compact_input_size();
}

void DatasetPipeline::write_examples(const AnyPerformance& performance,
                                     PipelineOutput* output) const {
  std::vector<float> inputs;
  const int width = file_input_width();
  const int dense_size = encoder_.layout().dense_size;
  const int groups = encoder_.layout().num_groups();
  auto write = [&](const EncodedExample& encoded) {
    const size_t steps = static_cast<size_t>(encoded.num_steps);
    inputs.resize(steps * width);
    for (size_t t = 0; t < steps; ++t) {
      const float* dense = encoded.dense.data() + t * dense_size;
      const int32_t* onehot = encoded.onehot.data() + t * groups;
      if (options_.onehot_inputs) {
        encoder_.expand_magenta_input(dense, onehot, inputs.data() + t * width);
      } else {
        encoder_.compact_input(dense, onehot, inputs.data() + t * width);
      }
    }
    append_sequence_example_record(inputs, width, encoded.labels, num_heads_, &output->records);
    output->examples += 1;
    output->events += encoded.num_steps;
  };
  encode_examples(encoder_, performance, write);
}

void DatasetPipeline::transpose_and_extract(const magenta::NoteSequence& quantized,
                                            const std::vector<int>& amounts, SegmentCounts* counts,
                                            PipelineOutput* output) const {
  ExtractionOptions extraction;
  extraction.min_events = options_.min_events;
  extraction.max_events = options_.max_events;
  extraction.num_velocity_bins = config_.num_velocity_bins;
  extraction.note_performance = config_.note_performance();

  int min_pitch = 127, max_pitch = 0;
  bool has_drums = false;
  for (const auto& note : quantized.notes()) {
    if (note.is_drum()) {
      has_drums = true;
      continue;
    }
    min_pitch = std::min(min_pitch, note.pitch());
    max_pitch = std::max(max_pitch, note.pitch());
  }
  const bool in_range = min_pitch >= 0 && max_pitch <= 127;

  if (has_drums || !in_range) {
    // General path: transpose the sequence, then extract each copy.
    for (int amount : amounts) {
      auto copy = transpose_within_range(quantized, amount);
      if (!copy) {
        ++counts->skipped_due_to_range_exceeded;
        continue;
      }
      ++counts->transpositions_generated;
      if (auto performance = extract_performance(*copy, extraction, &counts->extraction)) {
        write_examples(*performance, output);
      }
    }
    return;
  }
  // Fast path without drums: every non-drum pitch moves, so the event order is the
  // same for each amount; extract once and shift the pitches of the events.
  ExtractionStats once;
  const auto performance = extract_performance(quantized, extraction, &once);
  for (int amount : amounts) {
    if (min_pitch + amount < 0 || max_pitch + amount > 127) {
      ++counts->skipped_due_to_range_exceeded;
      continue;
    }
    ++counts->transpositions_generated;
    counts->extraction.add(once);
    if (!performance) continue;
    std::visit(
        [&](const auto& p) { write_examples(AnyPerformance(transposed(p, amount)), output); },
        *performance);
  }
}

void DatasetPipeline::process(const magenta::NoteSequence& sequence, Split which, Statistics* stats,
                              PipelineOutput* output) const {
  const std::string split = split_name(which);
  const bool training = which == Split::kTraining;
  const std::vector<double>& factors =
      training ? kTrainingStretchFactors : std::vector<double>{1.0};
  const std::vector<int>& amounts = training ? kTrainingTranspositions : std::vector<int>{0};
  magenta::NoteSequence sustained;
  try {
    sustained = apply_sustain_control_changes(sequence);
  } catch (const InputError&) {
    stats->increment(unit("SustainPipeline", split) + "sequences_discarded_invalid_times");
    return;
  }
  // Once sustain is applied, control changes and pitch bends no longer affect any
  // example (split re-times the kept pedals to >= 0, so quantization cannot fail on
  // them); dropping them saves copying them for every stretch and segment.
  sustained.clear_control_changes();
  sustained.clear_pitch_bends();
  SegmentCounts counts;
  for (double factor : factors) {
    std::vector<magenta::NoteSequence> segments;
    try {
      magenta::NoteSequence stretched = sustained;
      stretch_in_place(&stretched, factor);
      segments = split_note_sequence(stretched, options_.split_hop_seconds);
    } catch (const InputError&) {
      stats->increment(unit("Splitter", split) + "sequences_discarded_too_long");
      continue;
    }
    for (auto& segment : segments) {
      try {
        quantize_absolute_in_place(&segment, options_.steps_per_second);
      } catch (const InputError&) {
        stats->increment(unit("Quantizer", split) + "sequences_discarded_negative_time");
        continue;
      }
      transpose_and_extract(segment, amounts, &counts, output);
    }
  }
  stats->increment(unit("TranspositionPipeline", split) + "transpositions_generated",
                   counts.transpositions_generated);
  stats->increment(unit("TranspositionPipeline", split) + "skipped_due_to_range_exceeded",
                   counts.skipped_due_to_range_exceeded);
  counts.extraction.record(unit("PerformanceExtractor", split), stats);
}

}  // namespace prnn
