#include "generate/evaluate.h"

#include <algorithm>

#include "base/error.h"
#include "base/statistics.h"
#include "generate/sampler.h"
#include "music/sequences.h"
#include "performance/encoder.h"
#include "performance/extractor.h"

namespace prnn {
namespace {

// Teacher-forced NLL of B examples advanced together; shorter ones simply stop counting.
// Labels are Y = heads values per step; an event's NLL is the sum over its heads.
void score_batch(GenerationNetwork& network, const PerformanceConfig& config,
                 const std::vector<EncodedExample>& examples, PerformanceScore& score) {
  const int streams = static_cast<int>(examples.size());
  const InputLayout layout = config.input_layout();
  const int dense_size = layout.dense_size, groups = layout.num_groups();
  const std::vector<int> heads = config.output_heads();
  const int vocab = network.shape().num_logits(), k = static_cast<int>(heads.size());
  std::vector<int> label(k);
  int steps = 0;
  for (const EncodedExample& e : examples) steps = std::max(steps, e.num_steps);
  // Teacher forcing in sequence passes of up to kChunkSteps steps (prime(): the input
  // projections of a chunk's rows as one product each), continuing from the state.
  constexpr int kChunkSteps = 32;
  const size_t rows = static_cast<size_t>(std::min(steps, kChunkSteps)) * streams;
  std::vector<float> dense(rows * dense_size), logits(rows * vocab);
  std::vector<int32_t> onehot(rows * groups);
  network.reset();
  for (int t0 = 0; t0 < steps; t0 += kChunkSteps) {
    const int chunk = std::min(kChunkSteps, steps - t0);
    for (int t = 0; t < chunk; ++t) {
      for (int s = 0; s < streams; ++s) {
        const EncodedExample& e = examples[s];
        const int at = std::min(t0 + t, e.num_steps - 1);
        const size_t row = static_cast<size_t>(t) * streams + s;
        std::copy_n(&e.dense[static_cast<size_t>(at) * dense_size], dense_size,
                    &dense[row * dense_size]);
        std::copy_n(&e.onehot[static_cast<size_t>(at) * groups], groups, &onehot[row * groups]);
      }
    }
    const size_t used = static_cast<size_t>(chunk) * streams;
    network.prime(streams, chunk, std::span(onehot).first(used * groups),
                  std::span(dense).first(used * dense_size), std::span(logits).first(used * vocab));
    for (int t = 0; t < chunk; ++t) {
      for (int s = 0; s < streams; ++s) {
        const EncodedExample& e = examples[s];
        if (t0 + t >= e.num_steps) continue;
        std::copy_n(&e.labels[static_cast<size_t>(t0 + t) * k], k, label.begin());
        const size_t row = static_cast<size_t>(t) * streams + s;
        score.nll -=
            log_softmax_heads(std::span(logits).subspan(row * vocab, vocab), heads, 1.0, label);
      }
    }
  }
}

// Seconds covered by the predicted events (all but the first): their time shifts, and for
// the note encoding the last note's duration.
double predicted_seconds(const AnyPerformance& any) {
  if (const auto* notes = std::get_if<NotePerformance>(&any)) {
    return (notes->num_steps() - (*notes)[0].time_shift) / static_cast<double>(kStepsPerSecond);
  }
  const Performance& performance = std::get<Performance>(any);
  double seconds = 0;
  for (size_t i = 1; i < performance.size(); ++i) {
    if (performance[i].type == EventType::kTimeShift) seconds += performance[i].value;
  }
  return seconds / kStepsPerSecond;
}

size_t num_events(const AnyPerformance& any) {
  return std::visit([](const auto& p) { return p.size(); }, any);
}

}  // namespace

PerformanceScore score_performances(GenerationNetwork& network, const PerformanceConfig& config,
                                    const std::vector<AnyPerformance>& performances,
                                    bool disable_conditioning) {
  PerformanceEncoder encoder(config);
  PerformanceScore score;
  std::vector<EncodedExample> batch;
  auto flush = [&] {
    if (!batch.empty()) score_batch(network, config, batch, score);
    batch.clear();
  };
  for (const AnyPerformance& performance : performances) {
    PRNN_CHECK(std::holds_alternative<NotePerformance>(performance) == config.note_performance());
    if (num_events(performance) < 2) continue;
    EncodedExample example;
    if (const auto* notes = std::get_if<NotePerformance>(&performance)) {
      encoder.encode(*notes, &example);
    } else {
      encoder.encode(std::get<Performance>(performance),
                     disable_conditioning && config.optional_conditioning, &example);
    }
    score.events += example.num_steps;
    score.seconds += predicted_seconds(performance);
    score.performances += 1;
    batch.push_back(std::move(example));
    if (static_cast<int>(batch.size()) == network.max_streams()) flush();
  }
  flush();
  return score;
}

double performance_log_likelihood(GenerationNetwork& network, const PerformanceConfig& config,
                                  const AnyPerformance& performance,
                                  const ControlValues& controls) {
  PRNN_CHECK(std::holds_alternative<NotePerformance>(performance) == config.note_performance());
  const size_t steps = num_events(performance) < 2 ? 0 : num_events(performance) - 1;
  if (steps == 0) return 0;
  // Events 0 … n−2 are the inputs, 1 … n−1 the labels: one network pass over all of them.
  PerformanceEncoder encoder(config);
  const InputLayout layout = config.input_layout();
  const size_t dense_size = layout.dense_size, groups = layout.num_groups();
  const std::vector<int> heads = config.output_heads();
  const size_t vocab = network.shape().num_logits(), k = heads.size();
  std::vector<float> dense(steps * dense_size), logits(steps * vocab);
  std::vector<int32_t> onehot(steps * groups);
  std::vector<int> labels(steps * k);
  const auto* notes = std::get_if<NotePerformance>(&performance);
  const auto* events = std::get_if<Performance>(&performance);
  for (size_t t = 0; t < steps; ++t) {
    if (notes) {
      encoder.encode_input((*notes)[t], &dense[t * dense_size], &onehot[t * groups]);
      const auto classes = note_event_to_classes((*notes)[t + 1]);
      std::copy(classes.begin(), classes.end(), &labels[t * k]);
    } else {
      encoder.encode_input((*events)[t], config.has_control_signals() ? &controls : nullptr,
                           &dense[t * dense_size], &onehot[t * groups]);
      labels[t] = event_to_class((*events)[t + 1]);
    }
  }
  network.reset();
  network.prime(1, static_cast<int>(steps), onehot, dense, logits);
  double total = 0;
  for (size_t t = 0; t < steps; ++t) {
    total += log_softmax_heads(std::span(logits).subspan(t * vocab, vocab), heads, 1.0,
                               std::span(labels).subspan(t * k, k));
  }
  return total;
}

double sequence_log_likelihood(GenerationNetwork& network, const PerformanceConfig& config,
                               const magenta::NoteSequence& sequence) {
  Statistics statistics;
  ExtractionOptions options;
  options.num_velocity_bins = config.num_velocity_bins;
  options.note_performance = config.note_performance();
  auto p = extract_performance(quantize_note_sequence_absolute(sequence, kStepsPerSecond), options,
                               &statistics);
  if (!p) return 0;
  return performance_log_likelihood(network, config, *p, ControlValues{});
}

}  // namespace prnn
