// The studio's batched engine: each client's notes are those of its own PerformanceStream
// (same seed, same control changes at the same events) whatever the batch it was stepped
// in; credit-based flow control (never past played + lookahead; the batch is exactly the
// clients that need events); resets, primes and model choice per client.
#include "studio/studio_engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <map>

#include "base/error.h"
#include "generate/performance_stream.h"
#include "studio_test_models.h"

namespace prnn {
namespace {

ClientMessage played(double t) {
  ClientMessage m;
  m.type = ClientMessage::Type::kPlayed;
  m.played = t;
  return m;
}

ClientMessage controls(uint64_t seq) {
  ClientMessage m;
  m.type = ClientMessage::Type::kControls;
  m.seq = seq;
  return m;
}

// The notes a page would play from a stream of events (written independently of the
// engine: cumulative time shifts, velocity from the last VELOCITY bin, default 100).
struct NotesFromEvents {
  int bins = 32;
  int64_t steps = 0;
  int velocity = 100;
  std::vector<StudioNote> notes;
  void add(const PerformanceEvent& e) {
    if (e.type == EventType::kTimeShift) steps += e.value;
    if (e.type == EventType::kVelocity) velocity = 1 + (e.value - 1) * ((127 + bins - 1) / bins);
    if (e.type == EventType::kNoteOn) notes.push_back({steps / 100.0, e.value, velocity});
    if (e.type == EventType::kNoteOff) notes.push_back({steps / 100.0, e.value, 0});
  }
};

class StudioEngineTest : public ::testing::Test {
 protected:
  StudioEngineTest() : catalog_(testing::studio_models_dir(), "") {}
  const StudioModel& model(const std::string& name) {
    return *catalog_.models()[catalog_.find(name)];
  }
  // Runs steps until nobody needs events; collects every output per client.
  void drain(StudioEngine& engine) {
    for (int i = 0; i < 100000 && engine.step() > 0; ++i) {
    }
    std::vector<StudioEngine::Output> outputs;
    engine.take_outputs(outputs);
    for (auto& o : outputs) {
      auto& notes = notes_[o.id];
      notes.insert(notes.end(), o.notes.begin(), o.notes.end());
      outputs_[o.id].push_back(o);
    }
  }
  ModelCatalog catalog_;
  std::map<uint64_t, std::vector<StudioNote>> notes_;
  std::map<uint64_t, std::vector<StudioEngine::Output>> outputs_;
};

void expect_same_notes(const std::vector<StudioNote>& got, const std::vector<StudioNote>& want,
                       size_t count) {
  ASSERT_GE(got.size(), count);
  ASSERT_GE(want.size(), count);
  for (size_t i = 0; i < count; ++i) {
    EXPECT_DOUBLE_EQ(got[i].time, want[i].time) << "note " << i;
    EXPECT_EQ(got[i].pitch, want[i].pitch) << "note " << i;
    EXPECT_EQ(got[i].velocity, want[i].velocity) << "note " << i;
  }
}

TEST_F(StudioEngineTest, AutoPicksTheUnconditionedModelAndTheConditionedOneWhenOn) {
  EXPECT_EQ(catalog_.models()[catalog_.auto_model(false)]->name, "unconditioned_3x8.mag");
  EXPECT_EQ(catalog_.models()[catalog_.auto_model(true)]->name, "conditioned_2x8.mag");
  StudioEngine engine(catalog_, {});
  engine.add_client(1, 5);
  EXPECT_EQ(engine.client_model(1), catalog_.find("unconditioned_3x8.mag"));
  ClientMessage on = controls(1);
  on.conditioning = true;
  engine.apply(1, on, 0);
  EXPECT_EQ(engine.client_model(1), catalog_.find("conditioned_2x8.mag"));
  ClientMessage unknown = controls(2);
  unknown.model = "no_such_model.mag";
  EXPECT_THROW(engine.apply(1, unknown, 0), InputError);
  EXPECT_EQ(engine.client_model(1), catalog_.find("conditioned_2x8.mag"));
  ClientMessage chosen = controls(3);
  chosen.model = "unconditioned_3x8.mag";
  engine.apply(1, chosen, 0);
  EXPECT_EQ(engine.client_model(1), catalog_.find("unconditioned_3x8.mag"));
}

// Three clients of one model, given credit at different times so that the batch holds 1, 2
// or 3 of them in changing slots: each gets exactly its own PerformanceStream's notes.
TEST_F(StudioEngineTest, BatchedClientsGetTheirOwnStreamsNotes) {
  const StudioModel& m = model("unconditioned_3x8.mag");
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 8});
  for (uint64_t id : {1, 2, 3}) engine.add_client(id, 100 + id);
  ClientMessage cool = controls(1);
  cool.temperature = 0.7;
  engine.apply(2, cool, 0);
  double t[4] = {0, 0, 0, 0};
  for (uint64_t id : {1, 2, 3}) engine.apply(id, played(0), 0);
  drain(engine);  // (a first report past 0 would be an underrun: the clock would jump)
  for (int round = 0; round < 60; ++round) {
    for (uint64_t id : {1, 2, 3}) {
      if ((round + id) % id == 0) t[id] += 0.15 * id;  // different paces, < the lookahead
      engine.apply(id, played(t[id]), t[id]);
    }
    drain(engine);
  }
  for (uint64_t id : {1, 2, 3}) {
    PerformanceStream reference(*m.model.config, m.model.params, 100 + id);
    if (id == 2) reference.set_temperature(0.7);
    NotesFromEvents expected;
    while (expected.notes.size() < notes_[id].size() + 5) expected.add(reference.next());
    SCOPED_TRACE("client " + std::to_string(id));
    EXPECT_GT(notes_[id].size(), 20u);
    expect_same_notes(notes_[id], expected.notes, notes_[id].size());
  }
  EXPECT_LT(engine.network_steps(), engine.client_events());  // steps were shared
}

TEST_F(StudioEngineTest, NeverGeneratesPastPlayedPlusLookahead) {
  const double lookahead = 0.5;
  StudioEngine engine(catalog_, {.lookahead = lookahead, .capacity = 4});
  engine.add_client(7, 1);
  double until = 0;
  for (int i = 0; i <= 200; ++i) {
    const double t = 0.05 * i;
    engine.apply(7, played(t), t);
    drain(engine);
    for (const auto& o : outputs_[7]) {
      for (const StudioNote& n : o.notes) EXPECT_LT(n.time, t + lookahead + 1e-9);
      until = o.until;
    }
    outputs_[7].clear();
    // Credit used up: the last event crossed the limit by at most one time shift (1 s).
    EXPECT_GE(until, t + lookahead - 1e-9);
    EXPECT_LE(until, t + lookahead + 1.0 + 1e-9);
    EXPECT_EQ(engine.step(), 0);
  }
  EXPECT_GT(notes_[7].size(), 10u);
}

TEST_F(StudioEngineTest, TheBatchIsTheClientsThatNeedEvents) {
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 8});
  for (uint64_t id = 1; id <= 5; ++id) engine.add_client(id, id);
  EXPECT_EQ(engine.step(), 0);  // nobody reported a played time: no credit
  engine.apply(2, played(0), 0);
  engine.apply(4, played(0), 0);
  EXPECT_EQ(engine.step(), 2);
  EXPECT_EQ(engine.network_steps(), 1);
  drain(engine);
  EXPECT_EQ(notes_.count(1) + notes_.count(3) + notes_.count(5), 0u);
  EXPECT_TRUE(outputs_.count(2) && outputs_.count(4));
  engine.remove_client(2);
  engine.apply(4, played(1), 1);
  EXPECT_EQ(engine.step(), 1);
}

// Between rounds only the urgent clients are stepped: a pending answer, or less than
// kUrgentSeconds generated past the played time (a stream just begun); a client that is
// ahead by more keeps its credit for the next full step.
TEST_F(StudioEngineTest, UrgentStepsServeOnlyAnswersAndStreamsAboutToRunDry) {
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 4});
  engine.add_client(1, 1);
  engine.apply(1, played(0), 0);
  while (engine.step(/*urgent_only=*/true) > 0) {
  }
  std::vector<StudioEngine::Output> out;
  engine.take_outputs(out);
  ASSERT_FALSE(out.empty());
  const double filled = out.back().until;
  EXPECT_GE(filled, StudioEngine::kUrgentSeconds);
  EXPECT_LT(filled, 0.5);  // not yet the whole lookahead: that waits for a full step
  EXPECT_GT(engine.step(), 0);

  engine.add_client(2, 2);
  engine.apply(2, played(0), 0);  // a new stream: urgent; client 1 is not
  while (engine.step() > 0 && engine.client_events() < 100000) {  // both filled
  }
  engine.apply(1, played(0.2), 0.2);  // fresh credit; at least 0.3 s generated ahead
  EXPECT_EQ(engine.step(/*urgent_only=*/true), 0);
  engine.apply(1, controls(9), 0.2);  // a change: answered by an urgent step
  EXPECT_EQ(engine.step(/*urgent_only=*/true), 1);
  EXPECT_EQ(engine.step(/*urgent_only=*/true), 0);
}

// The urgent outputs (sent after every step of a round) are the answers and the streams
// short of lead, while a client far ahead of its played time waits for the round's next
// flush; a new stream's first output waits until it has kUrgentSeconds generated.
TEST_F(StudioEngineTest, UrgentOutputsAreAnswersAndStreamsShortOfLead) {
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 4});
  engine.add_client(1, 1);
  engine.apply(1, played(0), 0);
  drain(engine);
  const double ahead = outputs_[1].back().until;  // at least the lookahead
  ASSERT_GE(ahead, 0.5);
  const double t = ahead - 0.3;  // client 1: credit again, 0.3 s ahead of its played time
  engine.apply(1, played(t), t);
  engine.add_client(2, 2);
  engine.apply(2, played(0), t);
  std::vector<StudioEngine::Output> urgent, rest;
  int steps = 0;
  while (urgent.empty() && steps < 500) {
    ASSERT_GT(engine.step(), 0);
    ++steps;
    engine.take_outputs(urgent, /*urgent_only=*/true);
  }
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].id, 2u);
  EXPECT_GE(urgent[0].until, StudioEngine::kUrgentSeconds);  // its first lead, at once
  EXPECT_GT(steps, 1);
  engine.take_outputs(rest);
  ASSERT_EQ(rest.size(), 1u);  // client 1's events of those steps
  EXPECT_EQ(rest[0].id, 1u);
  // Once started, a stream short of lead is sent after every step it is stepped in.
  const double first = urgent[0].until;
  engine.apply(2, played(first), t + first);  // played all of it, on time
  ASSERT_GT(engine.step(/*urgent_only=*/true), 0);
  urgent.clear();
  engine.take_outputs(urgent, /*urgent_only=*/true);
  ASSERT_EQ(urgent.size(), 1u);
  EXPECT_EQ(urgent[0].id, 2u);
}

TEST_F(StudioEngineTest, ReportedTimeCannotRunAheadOfTheWallClock) {
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 2, .clock_slack = 0.5});
  engine.add_client(1, 3);
  engine.apply(1, played(0), 100.0);
  engine.apply(1, played(1000), 101.0);  // claims 1000 s after one second
  drain(engine);
  ASSERT_FALSE(outputs_[1].empty());
  // Credit up to 1 + 0.5 (slack) + 0.5 (lookahead) s, plus at most one time shift.
  EXPECT_LE(outputs_[1].back().until, 2.0 + 1.0 + 1e-9);
}

TEST_F(StudioEngineTest, AnUnderrunJumpsTheClockToThePlayedTime) {
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 2});
  engine.add_client(1, 3);
  engine.apply(1, played(0), 0);
  drain(engine);
  const double before = outputs_[1].back().until;
  ASSERT_LT(before, 3.0);
  outputs_[1].clear();
  engine.apply(1, played(10), 10);  // the client played far past what it was sent
  drain(engine);
  ASSERT_FALSE(outputs_[1].empty());
  for (const auto& o : outputs_[1]) {
    for (const StudioNote& n : o.notes) EXPECT_GE(n.time, 10.0);
  }
  EXPECT_GE(outputs_[1].back().until, 10.5 - 1e-9);
}

// A change is answered by the next step, credit or not: one event for that client only,
// in the output that first carries its seq. A client sending changes without playing gets
// no more than two time shifts past its credit.
TEST_F(StudioEngineTest, AChangeIsAnsweredByTheNextStep) {
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 4});
  for (uint64_t id : {1, 2}) {
    engine.add_client(id, id);
    engine.apply(id, played(0), 0);
  }
  drain(engine);
  EXPECT_EQ(engine.step(), 0);  // both used their credit
  EXPECT_FALSE(engine.answers_pending());
  engine.apply(1, controls(5), 0);
  EXPECT_TRUE(engine.answers_pending());
  const int64_t events = engine.client_events();
  EXPECT_EQ(engine.step(), 1);
  EXPECT_EQ(engine.client_events(), events + 1);
  EXPECT_FALSE(engine.answers_pending());
  std::vector<StudioEngine::Output> answers;
  engine.take_outputs(answers, /*answers_only=*/true);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].id, 1u);
  EXPECT_EQ(answers[0].seq, 5u);
  EXPECT_EQ(engine.step(), 0);
  double until = 0;
  for (uint64_t seq = 6; seq < 200; ++seq) {
    engine.apply(1, controls(seq), 0);
    engine.step();
    std::vector<StudioEngine::Output> out;
    engine.take_outputs(out);
    for (const auto& o : out) {
      EXPECT_EQ(o.id, 1u);
      EXPECT_EQ(o.seq, seq);  // acknowledged, with or without an event
      until = std::max(until, o.until);
    }
    ASSERT_EQ(out.size(), 1u) << "seq " << seq;
  }
  EXPECT_GE(until, 0.5);
  EXPECT_LE(until, 0.5 + 2.0 + 1e-9);
}

// Controls change from the next generated event: the same as a PerformanceStream whose
// controls change after the same number of events. Events sent under the old controls
// carry the old seq.
TEST_F(StudioEngineTest, ControlsTakeEffectFromTheNextEvent) {
  const StudioModel& m = model("conditioned_2x8.mag");
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 4});
  engine.add_client(1, 42);
  ClientMessage on = controls(1);
  on.conditioning = true;
  on.density = 2;
  engine.apply(1, on, 0);
  engine.apply(1, played(0), 0);
  drain(engine);
  const size_t first = notes_[1].size();
  ClientMessage change = controls(2);
  change.density = 64;
  change.histogram = std::array<double, 12>{2, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1};
  engine.apply(1, change, 0);
  for (int i = 1; i <= 40; ++i) {
    engine.apply(1, played(0.25 * i), 0.25 * i);
    drain(engine);
  }
  for (const auto& o : outputs_[1]) EXPECT_EQ(o.seq, &o == &outputs_[1][0] ? 1u : 2u);

  // The reference: same number of events under the first controls, then the second.
  PerformanceStream reference(*m.model.config, m.model.params, 42);
  reference.set_conditioning(true);
  reference.set_note_density(2);
  NotesFromEvents expected;
  // The engine stepped until its credit (0.5 s) was used: replay that point exactly.
  while (expected.steps < 50) expected.add(reference.next());
  ASSERT_EQ(expected.notes.size(), first);
  reference.set_note_density(64);
  reference.set_pitch_histogram({2, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1});
  while (expected.notes.size() < notes_[1].size()) expected.add(reference.next());
  expect_same_notes(notes_[1], expected.notes, notes_[1].size());
}

// A reset restarts one client's stream (reseeded with seed + seq) and releases its
// sounding notes; the other client's stream goes on untouched.
TEST_F(StudioEngineTest, ResetRestartsOnlyThatClient) {
  const StudioModel& m = model("unconditioned_3x8.mag");
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 4});
  engine.add_client(1, 9);
  engine.add_client(2, 9);
  for (uint64_t id : {1, 2}) engine.apply(id, played(0), 0);
  drain(engine);
  ASSERT_EQ(notes_[1].size(), notes_[2].size());
  const double reset_time = outputs_[1].back().until;
  std::vector<int> sounding;
  {
    std::map<int, int> on;
    for (const StudioNote& n : notes_[1]) on[n.pitch] = n.velocity;
    for (auto [pitch, velocity] : on) {
      if (velocity > 0) sounding.push_back(pitch);
    }
  }
  const size_t before = notes_[1].size();
  ClientMessage reset;
  reset.type = ClientMessage::Type::kReset;
  reset.seq = 4;
  engine.apply(1, reset, 0);
  for (int i = 1; i <= 20; ++i) {
    for (uint64_t id : {1, 2}) engine.apply(id, played(0.25 * i), 0.25 * i);
    drain(engine);
  }
  // Client 2: one uninterrupted stream.
  PerformanceStream reference(*m.model.config, m.model.params, 9);
  NotesFromEvents expected;
  while (expected.notes.size() < notes_[2].size()) expected.add(reference.next());
  expect_same_notes(notes_[2], expected.notes, notes_[2].size());
  // Client 1: its sounding notes end at the reset, then a fresh stream from there.
  ASSERT_GE(notes_[1].size(), before + sounding.size());
  for (size_t i = 0; i < sounding.size(); ++i) {
    EXPECT_EQ(notes_[1][before + i].pitch, sounding[i]);
    EXPECT_EQ(notes_[1][before + i].velocity, 0);
    EXPECT_DOUBLE_EQ(notes_[1][before + i].time, reset_time);
  }
  PerformanceStream restarted(*m.model.config, m.model.params, 9 + 4);
  NotesFromEvents fresh;
  fresh.steps = std::llround(reset_time * 100);
  const std::vector<StudioNote> after(notes_[1].begin() + before + sounding.size(),
                                      notes_[1].end());
  while (fresh.notes.size() < after.size()) fresh.add(restarted.next());
  EXPECT_GT(after.size(), 5u);
  expect_same_notes(after, fresh.notes, after.size());
  EXPECT_EQ(outputs_[1].back().seq, 4u);
  EXPECT_EQ(outputs_[2].back().seq, 0u);
}

// Call and response: the phrase primes the restarted stream exactly as a PerformanceStream
// primed with the phrase's events (written out here by hand).
TEST_F(StudioEngineTest, APhrasePrimesTheResponse) {
  const StudioModel& m = model("unconditioned_3x8.mag");
  StudioEngine engine(catalog_, {.lookahead = 0.5, .capacity = 2});
  engine.add_client(1, 11);
  ClientMessage prime;
  prime.type = ClientMessage::Type::kPrime;
  prime.seq = 2;
  prime.notes = {{0.0, 0.5, 60, 100}, {0.5, 1.0, 64, 100}};
  engine.apply(1, prime, 0);
  engine.apply(1, played(0), 0);
  drain(engine);
  for (int i = 1; i <= 12; ++i) {
    engine.apply(1, played(0.25 * i), 0.25 * i);
    drain(engine);
  }
  // velocity 100 → bin (100 − 1) / 4 + 1 = 25 of 32.
  const std::vector<PerformanceEvent> primer = {
      {EventType::kVelocity, 25}, {EventType::kNoteOn, 60}, {EventType::kTimeShift, 50},
      {EventType::kNoteOff, 60},  {EventType::kNoteOn, 64}, {EventType::kTimeShift, 50},
      {EventType::kNoteOff, 64}};
  PerformanceStream reference(*m.model.config, m.model.params, 0);
  reference.reset(11 + 2, primer);
  NotesFromEvents expected;
  for (const PerformanceEvent& e : primer) expected.add(e);  // the phrase is in the past:
  expected.notes.clear();                                    // its velocity carries on,
  expected.steps = 0;                                        // the answer starts at 0
  while (expected.notes.size() < notes_[1].size()) expected.add(reference.next());
  EXPECT_GT(notes_[1].size(), 5u);
  expect_same_notes(notes_[1], expected.notes, notes_[1].size());
}

}  // namespace
}  // namespace prnn
