#include "generate/beam_search.h"

#include <algorithm>
#include <numeric>

#include "base/error.h"

namespace prnn {
namespace {

// One beam entry: the events it added to its output's sequence (K classes each), its
// score and time.
struct Entry {
  std::vector<int> new_events;
  float score = 0;
  int64_t elapsed_steps = 0;
};

// How events are laid out and timed: K classes per event, heads at offsets in the logits.
class EventLayout {
 public:
  EventLayout(std::span<const int> head_sizes, std::span<const int> steps_of_class)
      : head_sizes_(head_sizes), steps_of_class_(steps_of_class) {
    PRNN_CHECK(!head_sizes.empty());
    int offset = 0;
    for (int size : head_sizes) {
      offsets_.push_back(offset);
      offset += size;
    }
    PRNN_CHECK(steps_of_class.size() == static_cast<size_t>(offset));
  }
  int heads() const { return static_cast<int>(head_sizes_.size()); }
  std::span<const int> head_sizes() const { return head_sizes_; }
  // Time steps of the event whose classes start at `event`.
  int steps(const int* event) const {
    int total = 0;
    for (int h = 0; h < heads(); ++h) total += steps_of_class_[offsets_[h] + event[h]];
    return total;
  }

 private:
  std::span<const int> head_sizes_;
  std::span<const int> steps_of_class_;
  std::vector<int> offsets_;
};

// Feeds events[0 .. n−2] of every sequence without a state (grouped by length, one stream
// per sequence, all steps in one network pass) and adds the log-likelihood of events 1 … n−1 under
// the tempered softmax.
void feed_primers(GenerationNetwork& network, const StepInputEncoder& encoder,
                  const EventLayout& layout, std::span<GeneratedSequence> sequences,
                  double temperature) {
  const int dense_size = network.shape().input.dense_size;
  const int groups = network.shape().input.num_groups();
  const int vocab = network.shape().num_logits();
  const int k = layout.heads();
  std::vector<int> pending;
  for (int i = 0; i < static_cast<int>(sequences.size()); ++i) {
    if (sequences[i].state.empty()) pending.push_back(i);
  }
  while (!pending.empty()) {
    const size_t length = sequences[pending[0]].events.size();
    std::vector<int> batch, rest;
    for (int i : pending) {
      (sequences[i].events.size() == length &&
               static_cast<int>(batch.size()) < network.max_streams()
           ? batch
           : rest)
          .push_back(i);
    }
    const int streams = static_cast<int>(batch.size());
    for (int s = 0; s < streams; ++s) network.reset_stream(s);
    // All T = n − 1 inputs of all streams (time-major), fed in one pass.
    const size_t steps = length / k - 1, rows = steps * streams;
    std::vector<float> dense(rows * dense_size);
    std::vector<int32_t> onehot(rows * groups);
    std::vector<float> logits(rows * vocab);
    std::vector<int64_t> elapsed(streams, 0);
    std::vector<double> log_likelihood(streams, 0.0);
    for (size_t t = 0; t < steps; ++t) {
      for (int s = 0; s < streams; ++s) {
        std::span<const int> event(&sequences[batch[s]].events[t * k], k);
        const size_t row = t * streams + s;
        elapsed[s] += layout.steps(event.data());
        encoder.encode(batch[s], event, elapsed[s], &dense[row * dense_size],
                       &onehot[row * groups]);
      }
    }
    network.prime(streams, static_cast<int>(steps), onehot, dense, logits);
    for (size_t t = 0; t < steps; ++t) {
      for (int s = 0; s < streams; ++s) {
        log_likelihood[s] += log_softmax_heads(
            std::span<const float>(logits).subspan((t * streams + s) * vocab, vocab),
            layout.head_sizes(), temperature,
            std::span(&sequences[batch[s]].events[(t + 1) * k], k));
      }
    }
    for (int s = 0; s < streams; ++s) {
      GeneratedSequence& sequence = sequences[batch[s]];
      sequence.state = network.save_stream(s);
      sequence.log_likelihood = log_likelihood[s];
      sequence.elapsed_steps = 0;
      for (size_t e = 0; e < sequence.events.size(); e += k) {
        sequence.elapsed_steps += layout.steps(&sequence.events[e]);
      }
    }
    pending = std::move(rest);
  }
}

}  // namespace

void beam_search(GenerationNetwork& network, const StepInputEncoder& encoder,
                 std::span<const int> steps_of_class, std::span<GeneratedSequence> sequences,
                 int num_new_events, const BeamSearchOptions& options) {
  PRNN_CHECK(options.beam_size >= 1 && options.branch_factor >= 1 &&
             options.steps_per_iteration >= 1 && options.temperature > 0);
  if (sequences.empty() || num_new_events <= 0) return;
  const EventLayout layout(network.shape().head_sizes, steps_of_class);
  const int k = layout.heads();
  for (const GeneratedSequence& sequence : sequences) {
    PRNN_CHECK(!sequence.events.empty() && sequence.events.size() % k == 0);
  }
  const int outputs = static_cast<int>(sequences.size());
  const int beam = options.beam_size, width = options.beam_size * options.branch_factor;
  const int streams = outputs * width;
  PRNN_CHECK(streams <= network.max_streams());
  feed_primers(network, encoder, layout, sequences, options.temperature);

  const int dense_size = network.shape().input.dense_size;
  const int groups = network.shape().input.num_groups();
  const int vocab = network.shape().num_logits();
  std::vector<Entry> entries(streams), next(streams);
  for (Entry& e : entries) e.new_events.reserve(static_cast<size_t>(num_new_events) * k);
  for (Entry& e : next) e.new_events.reserve(static_cast<size_t>(num_new_events) * k);
  std::vector<int> sources(streams), order(width);
  std::vector<float> dense(static_cast<size_t>(streams) * dense_size);
  std::vector<int32_t> onehot(static_cast<size_t>(streams) * groups);
  std::vector<float> scratch(vocab);
  std::vector<int> sampled(k);

  // Start: every entry of output o is a copy of its sequence (state in stream o·width).
  for (int o = 0; o < outputs; ++o) {
    network.load_stream(o * width, sequences[o].state);
    for (int e = 0; e < width; ++e) {
      sources[o * width + e] = o * width;
      entries[o * width + e] = Entry{{}, 0.0f, sequences[o].elapsed_steps};
    }
  }
  network.reorder_streams(sources);
  bool first_step = true;

  auto run_steps = [&](int count) {
    for (int t = 0; t < count; ++t) {
      for (int s = 0; s < streams; ++s) {
        const Entry& entry = entries[s];
        const std::vector<int>& from =
            entry.new_events.empty() ? sequences[s / width].events : entry.new_events;
        encoder.encode(s / width, std::span(from).last(k), entry.elapsed_steps,
                       &dense[static_cast<size_t>(s) * dense_size],
                       &onehot[static_cast<size_t>(s) * groups]);
      }
      std::span<const float> logits = network.step(streams, onehot, dense);
      for (int s = 0; s < streams; ++s) {
        GeneratedSequence& sequence = sequences[s / width];
        Entry& entry = entries[s];
        const double log_prob =
            sample_heads(logits.subspan(static_cast<size_t>(s) * vocab, vocab), layout.head_sizes(),
                         options.temperature, sequence.rng, scratch, sampled);
        double gain = log_prob + (first_step ? sequence.log_likelihood : 0.0);
        entry.score = static_cast<float>(entry.score + gain);
        entry.new_events.insert(entry.new_events.end(), sampled.begin(), sampled.end());
        entry.elapsed_steps += layout.steps(sampled.data());
      }
      first_step = false;
    }
  };

  // Stable descending order of output o's entries by score (heapq.nlargest).
  auto ranked = [&](int o) -> std::vector<int>& {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return entries[o * width + a].score > entries[o * width + b].score;
    });
    return order;
  };

  const int spi = options.steps_per_iteration;
  const int first_iteration = (num_new_events - 1) % spi + 1;
  run_steps(first_iteration);
  for (int iteration = 0; iteration < (num_new_events - first_iteration) / spi; ++iteration) {
    // Prune to the beam_size best, then branch: entry j comes from pruned[j mod beam].
    for (int o = 0; o < outputs; ++o) {
      std::vector<int>& best = ranked(o);
      for (int j = 0; j < width; ++j) sources[o * width + j] = o * width + best[j % beam];
    }
    for (int s = 0; s < streams; ++s) {
      const Entry& from = entries[sources[s]];
      next[s].new_events.assign(from.new_events.begin(), from.new_events.end());
      next[s].score = from.score;
      next[s].elapsed_steps = from.elapsed_steps;
    }
    std::swap(entries, next);
    network.reorder_streams(sources);
    run_steps(spi);
  }
  for (int o = 0; o < outputs; ++o) {
    const int best = o * width + ranked(o)[0];
    GeneratedSequence& sequence = sequences[o];
    Entry& entry = entries[best];
    sequence.events.insert(sequence.events.end(), entry.new_events.begin(), entry.new_events.end());
    sequence.elapsed_steps = entry.elapsed_steps;
    sequence.log_likelihood = entry.score;
    sequence.state = network.save_stream(best);
  }
}

}  // namespace prnn
