// libFuzzer target: random NoteSequences (negative, reversed, huge or non-finite times,
// out-of-range pitches and velocities, drums, several programs, sustain pedals) through
// the whole dataset pipeline (sustain, stretch, split, quantize, transpose, extract,
// encode, serialize) of a fuzz-chosen configuration, plus the Performance round trip.
// Outside-input problems must surface as counted discards or InputError, never a crash,
// an undefined behaviour or a hang.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <limits>

#include "data/dataset_pipeline.h"
#include "music/sequences.h"
#include "performance/performance.h"

namespace {

double fuzzed_time(FuzzedDataProvider& data) {
  switch (data.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      return -data.ConsumeFloatingPointInRange<double>(0.0, 100.0);
    case 1:
      return data.ConsumeFloatingPointInRange<double>(0.0, 1e7);
    case 2:
      return data.PickValueInArray({std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::quiet_NaN(), 1e300, -1e300,
                                    std::numeric_limits<double>::max()});
    default:
      return data.ConsumeFloatingPointInRange<double>(0.0, 120.0);
  }
}

magenta::NoteSequence fuzzed_sequence(FuzzedDataProvider& data) {
  magenta::NoteSequence sequence;
  const int notes = data.ConsumeIntegralInRange<int>(0, 300);
  for (int i = 0; i < notes && data.remaining_bytes() > 0; ++i) {
    auto* note = sequence.add_notes();
    note->set_pitch(data.ConsumeIntegralInRange<int>(-5, 135));
    note->set_velocity(data.ConsumeIntegralInRange<int>(-5, 200));
    const double start = fuzzed_time(data);
    note->set_start_time(start);
    note->set_end_time(data.ConsumeBool()
                           ? fuzzed_time(data)
                           : start + data.ConsumeFloatingPointInRange<double>(-1.0, 10.0));
    note->set_instrument(data.ConsumeIntegralInRange<int>(0, 2));
    note->set_program(data.ConsumeBool() ? 0 : data.ConsumeIntegralInRange<int>(0, 127));
    note->set_is_drum(data.ConsumeIntegralInRange<int>(0, 15) == 0);
  }
  const int controls = data.ConsumeIntegralInRange<int>(0, 40);
  for (int i = 0; i < controls && data.remaining_bytes() > 0; ++i) {
    auto* cc = sequence.add_control_changes();
    cc->set_time(fuzzed_time(data));
    cc->set_control_number(data.PickValueInArray({64, 64, 66, 67, 7}));
    cc->set_control_value(data.ConsumeIntegralInRange<int>(-1, 128));
    cc->set_instrument(data.ConsumeIntegralInRange<int>(0, 2));
  }
  sequence.set_total_time(data.ConsumeBool() ? fuzzed_time(data) : 0.0);
  for (const auto& note : sequence.notes()) {
    if (note.end_time() > sequence.total_time()) sequence.set_total_time(note.end_time());
  }
  return sequence;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  FuzzedDataProvider data(bytes, size);
  const auto& configs = prnn::performance_configs();
  const auto& config = configs[data.ConsumeIntegralInRange<size_t>(0, configs.size() - 1)];
  const bool training = data.ConsumeBool();
  const magenta::NoteSequence sequence = fuzzed_sequence(data);

  prnn::DatasetOptions options;
  // At least 1: with 0, every empty 30 s segment of a 10^6 s sequence becomes an
  // (empty) example, which is legitimate but only slows the fuzzer down.
  options.min_events = data.ConsumeIntegralInRange<int>(1, 40);
  options.onehot_inputs = data.ConsumeBool();
  prnn::DatasetPipeline pipeline(config, options);
  prnn::Statistics stats;
  prnn::PipelineOutput output;
  pipeline.process(sequence, training ? prnn::Split::kTraining : prnn::Split::kEval, &stats,
                   &output);

  try {
    const auto quantized = prnn::quantize_note_sequence_absolute(sequence, 100);
    const int start_step = data.ConsumeIntegralInRange<int>(0, 1000);
    auto performance =
        prnn::Performance::from_quantized_sequence(quantized, start_step, config.num_velocity_bins);
    performance.truncate(2000);
    const auto decoded = performance.to_sequence(100, 0, std::nullopt, 5.0);
    performance.set_length(data.ConsumeIntegralInRange<int64_t>(0, 100000));
  } catch (const prnn::InputError&) {
    // Expected for unquantizable times and unencodable notes.
  }
  return 0;
}
