// Beam search on a tiny model (3 event classes) against brute-force enumeration of every
// continuation's log-likelihood, computed step by step with the fp32 reference network.
#include "generate/beam_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace prnn {
namespace {

constexpr int kClasses = 3;

class ClassInput : public StepInputEncoder {
 public:
  void encode(int, int event_class, int64_t, float*, int32_t* onehot) const override {
    *onehot = event_class;
  }
};

ParamArena tiny_model(uint64_t seed) {
  ParamArena params(NetworkShape{InputLayout{0, {kClasses}}, {16}, {kClasses}});
  glorot_uniform_init(params, seed);
  for (float& w : params.view(params.dense_weights())) w *= 4;  // peaky distributions
  return params;
}

// log p(events[1..]) | events[0]) under softmax(logits / temperature), fed one by one.
double brute_log_likelihood(const ParamArena& params, const std::vector<int>& events,
                            double temperature) {
  GenerationNetwork net(params, 1, false);
  double total = 0;
  for (size_t t = 0; t + 1 < events.size(); ++t) {
    std::vector<int32_t> onehot = {events[t]};
    total += log_softmax_at(net.step(1, onehot, {}), temperature, events[t + 1]);
  }
  return total;
}

const std::vector<int> kNoSteps(kClasses, 0);

GeneratedSequence primer(std::vector<int> events, uint64_t seed) {
  GeneratedSequence s;
  s.events = std::move(events);
  s.rng = StreamRng(seed);
  return s;
}

TEST(BeamSearch, OneWideIterationFindsTheMostLikelyContinuation) {
  ParamArena params = tiny_model(11);
  const std::vector<int> start = {0, 1};
  const int new_events = 3;
  // Brute force: all 27 continuations.
  std::vector<int> best;
  double best_ll = -1e9;
  for (int code = 0; code < 27; ++code) {
    std::vector<int> events = start;
    for (int k = 0, c = code; k < new_events; ++k, c /= 3) events.push_back(c % 3);
    double ll = brute_log_likelihood(params, events, 1.0);
    if (ll > best_ll) best_ll = ll, best = events;
  }
  ASSERT_GT(std::exp(best_ll - brute_log_likelihood(params, start, 1.0)), 0.05);
  // beam 2 × branch 40 = 80 samples in one iteration (steps_per_iteration = 3).
  GenerationNetwork net(params, 80, false);
  ClassInput input;
  std::vector<GeneratedSequence> sequences = {primer(start, 5)};
  beam_search(net, input, kNoSteps, sequences, new_events, {1.0, 2, 40, 3});
  EXPECT_EQ(sequences[0].events, best);
  EXPECT_NEAR(sequences[0].log_likelihood, best_ll, 1e-4);
}

TEST(BeamSearch, ScoresMatchTheSequenceAcrossPruningAndBranching) {
  ParamArena params = tiny_model(3);
  for (auto [beam, branch, spi, steps] :
       {std::tuple{3, 2, 2, 7}, {2, 3, 1, 6}, {1, 1, 1, 5}, {4, 1, 3, 8}}) {
    GenerationNetwork net(params, 2 * beam * branch, false);
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
    GenerationNetwork net(params, 16, false);
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
    GenerationNetwork net(params, 6, true);
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
