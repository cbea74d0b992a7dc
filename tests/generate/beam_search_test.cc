// Beam search on tiny models against brute-force enumeration of every continuation's
// log-likelihood, computed step by step with the fp32 reference network and a log-softmax
// written here: a one-head model (3 event classes) and a two-head model (2 × 3 classes,
// the note encoding's multi-head scheme: an event's log p is the sum over its heads).
#include "generate/beam_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace prnn {
namespace {

constexpr int kClasses = 3;

// Feeds an event's classes as its one-hot groups (one per head).
class ClassInput : public StepInputEncoder {
 public:
  void encode(int, std::span<const int> event, int64_t, float*, int32_t* onehot) const override {
    std::copy(event.begin(), event.end(), onehot);
  }
};

ParamArena tiny_model(uint64_t seed, const std::vector<int>& heads = {kClasses}) {
  ParamArena params(NetworkShape{InputLayout{0, heads}, {16}, heads});
  glorot_uniform_init(params, seed);
  for (float& w : params.view(params.dense_weights())) w *= 4;  // peaky distributions
  return params;
}

// log softmax(logits / temperature)[index], in double.
double reference_log_softmax(std::span<const float> logits, double temperature, int index) {
  double top = -INFINITY, total = 0;
  for (float l : logits) top = std::max(top, l / temperature);
  for (float l : logits) total += std::exp(l / temperature - top);
  return logits[index] / temperature - top - std::log(total);
}

// log p(events[1..] | events[0]) under softmax(logits / temperature) per head, fed one by
// one; `events` holds one class per head for each event.
double brute_log_likelihood(const ParamArena& params, const std::vector<int>& events,
                            double temperature) {
  const std::vector<int>& heads = params.shape().head_sizes;
  const size_t k = heads.size();
  GenerationNetwork net(params, 1, NetworkKernels::reference_twin());
  double total = 0;
  for (size_t t = 0; t + 1 < events.size() / k; ++t) {
    std::vector<int32_t> onehot(events.begin() + t * k, events.begin() + (t + 1) * k);
    std::span<const float> logits = net.step(1, onehot, {});
    for (size_t h = 0, offset = 0; h < k; offset += heads[h], ++h) {
      total += reference_log_softmax(logits.subspan(offset, heads[h]), temperature,
                                     events[(t + 1) * k + h]);
    }
  }
  return total;
}

GeneratedSequence primer(std::vector<int> events, uint64_t seed) {
  GeneratedSequence s;
  s.events = std::move(events);
  s.rng = StreamRng(seed);
  return s;
}

// Enumerates every continuation of `start` by `new_events` events and checks that one wide
// beam-search iteration (beam × branch samples, steps_per_iteration = new_events) returns
// the most likely one with its log-likelihood as score.
void expect_beam_finds_most_likely(const ParamArena& params, const std::vector<int>& start,
                                   int new_events, int beam, int branch) {
  const std::vector<int>& heads = params.shape().head_sizes;
  int per_event = 1;
  for (int size : heads) per_event *= size;
  int continuations = 1;
  for (int k = 0; k < new_events; ++k) continuations *= per_event;
  std::vector<int> best;
  double best_ll = -1e9;
  for (int code = 0; code < continuations; ++code) {
    std::vector<int> events = start;
    for (int c = code, k = 0; k < new_events; ++k) {
      for (int size : heads) events.push_back(c % size), c /= size;
    }
    double ll = brute_log_likelihood(params, events, 1.0);
    if (ll > best_ll) best_ll = ll, best = events;
  }
  ASSERT_GT(std::exp(best_ll - brute_log_likelihood(params, start, 1.0)), 0.05);
  GenerationNetwork net(params, beam * branch, NetworkKernels::reference_twin());
  ClassInput input;
  std::vector<GeneratedSequence> sequences = {primer(start, 5)};
  const std::vector<int> no_steps(params.shape().num_logits(), 0);
  beam_search(net, input, no_steps, sequences, new_events, {1.0, beam, branch, new_events});
  EXPECT_EQ(sequences[0].events, best);
  EXPECT_NEAR(sequences[0].log_likelihood, best_ll, 1e-4);
}

const std::vector<int> kNoSteps(kClasses, 0);

TEST(BeamSearch, OneWideIterationFindsTheMostLikelyContinuation) {
  // 27 continuations; beam 2 × branch 40 = 80 samples in one iteration.
  expect_beam_finds_most_likely(tiny_model(11), {0, 1}, 3, 2, 40);
}

TEST(BeamSearch, MultiHeadEventsFindTheMostLikelyContinuation) {
  // Two heads (2 and 3 classes): 6 classes per event, 36 continuations of 2 events;
  // the primer is the events (1, 2) and (0, 0).
  expect_beam_finds_most_likely(tiny_model(4, {2, 3}), {1, 2, 0, 0}, 2, 4, 30);
}

TEST(BeamSearch, MultiHeadScoresAndTimeAcrossPruningAndBranching) {
  // Event time = Σ over heads of its classes' steps: head 0 class c → 10 c, head 1 → c.
  ParamArena params = tiny_model(6, {2, 3});
  const std::vector<int> steps = {0, 10, 0, 1, 2};
  GenerationNetwork net(params, 2 * 3 * 2, NetworkKernels::reference_twin());
  ClassInput input;
  std::vector<GeneratedSequence> sequences = {primer({1, 2, 0, 1}, 1), primer({0, 0}, 2)};
  for (int pass = 0; pass < 2; ++pass) {
    beam_search(net, input, steps, sequences, 5, {0.9, 3, 2, 2});
    for (const GeneratedSequence& s : sequences) {
      EXPECT_NEAR(s.log_likelihood, brute_log_likelihood(params, s.events, 0.9), 3e-4);
      int64_t elapsed = 0;
      for (size_t e = 0; e < s.events.size(); e += 2) elapsed += 10 * s.events[e] + s.events[e + 1];
      EXPECT_EQ(s.elapsed_steps, elapsed);
    }
  }
  EXPECT_EQ(sequences[0].events.size(), 2u * (2 + 10));
  EXPECT_EQ(sequences[1].events.size(), 2u * (1 + 10));
}

TEST(BeamSearch, ScoresMatchTheSequenceAcrossPruningAndBranching) {
  ParamArena params = tiny_model(3);
  for (auto [beam, branch, spi, steps] :
       {std::tuple{3, 2, 2, 7}, {2, 3, 1, 6}, {1, 1, 1, 5}, {4, 1, 3, 8}}) {
    GenerationNetwork net(params, 2 * beam * branch, NetworkKernels::reference_twin());
    ClassInput input;
    std::vector<GeneratedSequence> sequences = {primer({2, 0, 1}, 1), primer({2, 0, 1}, 2)};
    beam_search(net, input, kNoSteps, sequences, steps, {0.8, beam, branch, spi});
    for (const GeneratedSequence& s : sequences) {
      ASSERT_EQ(s.events.size(), 3u + steps);
      // The score is the log-likelihood of the returned sequence, primer included, and the
      // saved state continues it: a second pass equals one long brute-force evaluation.
      EXPECT_NEAR(s.log_likelihood, brute_log_likelihood(params, s.events, 0.8), 2e-4)
          << beam << "x" << branch << " spi " << spi;
    }
    beam_search(net, input, kNoSteps, sequences, 2, {0.8, beam, branch, spi});
    for (const GeneratedSequence& s : sequences) {
      EXPECT_NEAR(s.log_likelihood, brute_log_likelihood(params, s.events, 0.8), 3e-4);
    }
  }
}

TEST(BeamSearch, BeamPicksTheBestOfItsCandidatesOverSampling) {
  // Over many seeds, beam search (4 × 4) must reach a mean log-likelihood at least as good
  // as plain sampling on the same model.
  ParamArena params = tiny_model(7);
  ClassInput input;
  double sampled = 0, searched = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    GenerationNetwork net(params, 16, NetworkKernels::reference_twin());
    std::vector<GeneratedSequence> plain = {primer({1}, seed)}, beamed = {primer({1}, seed)};
    beam_search(net, input, kNoSteps, plain, 6, {1.0, 1, 1, 1});
    beam_search(net, input, kNoSteps, beamed, 6, {1.0, 4, 4, 1});
    sampled += plain[0].log_likelihood;
    searched += beamed[0].log_likelihood;
  }
  EXPECT_GT(searched, sampled);
}

TEST(BeamSearch, SameSeedSameSequence) {
  ParamArena params = tiny_model(9);
  ClassInput input;
  std::vector<int> first;
  for (int run = 0; run < 2; ++run) {
    GenerationNetwork net(params, 6);
    std::vector<GeneratedSequence> s = {primer({0}, 42)};
    beam_search(net, input, kNoSteps, s, 20, {1.0, 2, 3, 2});
    if (run == 0)
      first = s[0].events;
    else
      EXPECT_EQ(s[0].events, first);
  }
}

}  // namespace
}  // namespace prnn
