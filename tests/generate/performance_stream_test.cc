// The streaming generator: same events as the batch generator for the same seed and
// primer, reproducible after reset, and controls that change what the network sees; a
// note-encoding model streams the notes the batch generator samples, as events.
#include "generate/performance_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "generate/beam_search.h"

namespace prnn {
namespace {

ParamArena model_for(const PerformanceConfig& config) {
  ParamArena params(NetworkShape{config.input_layout(), {32}, config.output_heads()});
  glorot_uniform_init(params, 21);
  return params;
}

class EventOnly : public StepInputEncoder {
 public:
  explicit EventOnly(const PerformanceConfig& config) : encoder_(config) {}
  void encode(int, std::span<const int> c, int64_t, float* dense, int32_t* onehot) const override {
    encoder_.encode_input(class_to_event(c[0]), nullptr, dense, onehot);
  }
  PerformanceEncoder encoder_;
};

TEST(PerformanceStream, SameEventsAsTheBatchGenerator) {
  const PerformanceConfig& config = find_performance_config("performance_with_dynamics");
  ParamArena params = model_for(config);
  PerformanceStream stream(config, params, 99);
  std::vector<PerformanceEvent> streamed;
  stream.next(200, streamed);

  GenerationNetwork network(params, 1);
  std::vector<int> steps(config.num_event_classes(), 0);
  for (int s = 1; s <= 100; ++s) steps[255 + s] = s;
  std::vector<GeneratedSequence> sequences(1);
  sequences[0].events = {event_to_class({EventType::kTimeShift, 100})};
  sequences[0].rng = StreamRng(99);
  beam_search(network, EventOnly(config), steps, sequences, 200, {});
  ASSERT_EQ(sequences[0].events.size(), 201u);
  int64_t elapsed = 100;
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(streamed[i], class_to_event(sequences[0].events[i + 1])) << i;
    if (streamed[i].type == EventType::kTimeShift) elapsed += streamed[i].value;
  }
  EXPECT_EQ(stream.elapsed_steps(), elapsed);
}

TEST(PerformanceStream, ResetReproducesAndControlsMatter) {
  const PerformanceConfig& config =
      find_performance_config("optional_multiconditioned_performance_with_dynamics");
  ParamArena params = model_for(config);
  PerformanceStream stream(config, params, 5);
  std::vector<PerformanceEvent> first, again, dense_music;
  stream.next(100, first);
  stream.reset(5);
  stream.next(100, again);
  EXPECT_EQ(first, again);
  stream.reset(5);
  stream.set_note_density(64);
  PitchHistogram histogram{};
  histogram[0] = 1;
  stream.set_pitch_histogram(histogram);
  stream.set_temperature(0.5);
  stream.next(100, dense_music);
  EXPECT_NE(first, dense_music);
  stream.reset(5);
  stream.set_conditioning(false);  // disabled: density and histogram are not seen
  std::vector<PerformanceEvent> a, b;
  stream.next(50, a);
  stream.reset(5);
  stream.set_note_density(1);
  stream.next(50, b);
  EXPECT_EQ(a, b);
}

class NoteOnly : public StepInputEncoder {
 public:
  explicit NoteOnly(const PerformanceConfig& config) : encoder_(config) {}
  void encode(int, std::span<const int> c, int64_t, float* dense, int32_t* onehot) const override {
    encoder_.encode_input(classes_to_note_event(c), dense, onehot);
  }
  PerformanceEncoder encoder_;
};

using NoteKey = std::tuple<int64_t, int, int>;  // start step, pitch, velocity

std::vector<NoteKey> keys(const magenta::NoteSequence& sequence, int64_t before_step) {
  std::vector<NoteKey> out;
  for (const auto& n : sequence.notes()) {
    const int64_t start = std::llround(n.start_time() * 100);
    if (start < before_step) out.emplace_back(start, n.pitch(), n.velocity());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PerformanceStream, NoteEncodingStreamsTheBatchGeneratorsNotes) {
  const PerformanceConfig& config =
      find_performance_config("performance_with_dynamics_and_note_encoding");
  ParamArena params = model_for(config);
  params.view(params.dense_biases())[0] = 4.0f;  // mostly shifts under 0.77 s
  PerformanceStream stream(config, params, 99);
  std::vector<PerformanceEvent> streamed;
  stream.next(300, streamed);
  Performance as_events(0, 32);
  for (const PerformanceEvent& event : streamed) as_events.append(event);
  EXPECT_EQ(stream.elapsed_steps(), as_events.num_steps());

  // The batch path: the default event (0, 60, bin 1, 1 step) as primer, same seed.
  GenerationNetwork network(params, 1);
  std::vector<int> steps(network.shape().num_logits(), 0);
  for (int c = 0; c < 13; ++c) steps[c] = 77 * c;
  for (int c = 0; c < 77; ++c) steps[13 + c] = c;
  std::vector<GeneratedSequence> sequences(1);
  const auto start = note_event_to_classes({0, 60, 1, 1});
  sequences[0].events.assign(start.begin(), start.end());
  sequences[0].rng = StreamRng(99);
  beam_search(network, NoteOnly(config), steps, sequences, 150, {});
  NotePerformance notes(0, 32);
  for (size_t e = 6; e < sequences[0].events.size(); e += 6) {
    notes.append(classes_to_note_event(std::span(sequences[0].events).subspan(e, 6)));
  }
  // Every note that started within the streamed time, same onset, pitch and velocity.
  const auto expected = keys(notes.to_sequence(), as_events.num_steps());
  ASSERT_GT(expected.size(), 20u);
  EXPECT_EQ(keys(as_events.to_sequence(100, 0, std::nullopt, 0), as_events.num_steps()), expected);

  stream.reset(99);
  std::vector<PerformanceEvent> again;
  stream.next(300, again);
  EXPECT_EQ(again, streamed);
}

}  // namespace
}  // namespace prnn
