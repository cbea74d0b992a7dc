#include "studio/studio_engine.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "music/sequences.h"
#include "performance/performance.h"

namespace prnn {
namespace {

constexpr int kDefaultVelocity = 100;  // until the model's first VELOCITY event
const PerformanceEvent kSilence{EventType::kTimeShift, kDefaultMaxShiftSteps};

int64_t to_steps(double seconds) {
  return static_cast<int64_t>(std::floor(seconds * kStepsPerSecond + 1e-9));
}

}  // namespace

struct StudioEngine::Client {
  uint64_t id = 0, seed = 0;
  int model = -1, slot = -1;
  std::string requested = "auto";
  bool conditioning = false;
  ControlValues controls;
  double temperature = 1.0;
  StreamRng rng;
  PerformanceEvent last = kSilence;  // the next input
  int64_t generated = 0;             // stream time generated, in steps
  int64_t limit = 0;                 // credit: events are generated while generated < limit
  double played = 0;
  bool anchored = false;
  double anchor_wall = 0, anchor_stream = 0;
  int velocity = kDefaultVelocity;
  uint64_t seq = 0;
  std::bitset<128> sounding;
  Output out;
  bool moved = false;     // out holds something to send
  bool started = false;   // something was sent (a new stream waits for kUrgentSeconds)
  bool answer = false;    // the next step generates an event, credit or not
  bool answered = false;  // the last step generated the answer
  bool needs_events() const { return generated < limit || answer; }
  // Less than kUrgentSeconds generated past what was played (a stream just begun, reset or
  // primed, or one about to run dry).
  bool short_of_lead() const {
    return generated < to_steps(played) + to_steps(StudioEngine::kUrgentSeconds);
  }
};

struct StudioEngine::Lane {
  Lane(const StudioModel& m, int capacity, const NetworkKernels& kernels)
      : model(m),
        config(*m.model.config),
        encoder(config),
        network(m.weights(kernels), capacity + 1),
        slots(capacity + 1, nullptr),
        onehot(static_cast<size_t>(capacity) * config.input_layout().num_groups()),
        dense(static_cast<size_t>(capacity) * config.input_layout().dense_size),
        scratch(network.shape().num_logits()) {
    log_int8_weights(m.model, kernels);
  }
  const StudioModel& model;
  const PerformanceConfig& config;
  PerformanceEncoder encoder;
  GenerationNetwork network;
  std::vector<Client*> slots;  // slot → client; the last slot is scratch for swaps
  std::vector<int32_t> onehot;
  std::vector<float> dense, scratch;
  std::unique_ptr<GenerationNetwork> primer;  // one stream, for prime()
  int scratch_slot() const { return static_cast<int>(slots.size()) - 1; }
  void swap_slots(int a, int b) {
    if (slots[a] != nullptr) network.copy_stream(a, scratch_slot());
    network.copy_stream(b, a);
    if (slots[a] != nullptr) network.copy_stream(scratch_slot(), b);
    std::swap(slots[a], slots[b]);
    for (int s : {a, b}) {
      if (slots[s] != nullptr) slots[s]->slot = s;
    }
  }
};

StudioEngine::StudioEngine(const ModelCatalog& catalog, StudioEngineOptions options)
    : catalog_(catalog), options_(options), lanes_(catalog.models().size()) {
  PRNN_CHECK(options_.capacity >= 1 && options_.lookahead > 0);
}

StudioEngine::~StudioEngine() = default;

StudioEngine::Client& StudioEngine::client(uint64_t id) {
  const auto it = clients_.find(id);
  PRNN_CHECK(it != clients_.end());
  return *it->second;
}

StudioEngine::Lane& StudioEngine::lane(int model) {
  if (!lanes_[model]) {
    lanes_[model] =
        std::make_unique<Lane>(*catalog_.models()[model], options_.capacity, options_.kernels);
    lanes_[model]->network.set_threads(options_.threads);
  }
  return *lanes_[model];
}

void StudioEngine::add_client(uint64_t id, uint64_t seed) {
  PRNN_CHECK(!clients_.contains(id) && clients_.size() < static_cast<size_t>(options_.capacity));
  auto c = std::make_unique<Client>();
  c->id = id;
  c->seed = seed;
  c->rng = StreamRng(seed);
  c->controls.disable_conditioning = true;
  join_lane(*c, catalog_.auto_model(false));
  clients_.emplace(id, std::move(c));
}

void StudioEngine::remove_client(uint64_t id) {
  const auto it = clients_.find(id);
  if (it == clients_.end()) return;
  leave_lane(*it->second);
  clients_.erase(it);
  std::erase_if(closed_, [id](const Output& o) { return o.id == id; });
}

int StudioEngine::client_model(uint64_t id) const { return clients_.at(id)->model; }

void StudioEngine::join_lane(Client& c, int model) {
  Lane& l = lane(model);
  int slot = 0;
  while (l.slots[slot] != nullptr) ++slot;
  PRNN_CHECK(slot < l.scratch_slot());
  l.slots[slot] = &c;
  c.model = model;
  c.slot = slot;
  restart(c);
}

void StudioEngine::leave_lane(Client& c) {
  lanes_[c.model]->slots[c.slot] = nullptr;
  c.model = c.slot = -1;
}

void StudioEngine::restart(Client& c) {
  lanes_[c.model]->network.reset_stream(c.slot);
  c.last = kSilence;
  c.velocity = kDefaultVelocity;
}

void StudioEngine::release_notes(Client& c) {
  for (int pitch = 0; pitch < 128; ++pitch) {
    if (!c.sounding[pitch]) continue;
    c.out.notes.push_back({static_cast<double>(c.generated) / kStepsPerSecond, pitch, 0});
    c.moved = true;
  }
  c.sounding.reset();
}

void StudioEngine::close_output(Client& c) {
  if (!c.moved) return;
  c.out.id = c.id;
  c.out.seq = c.seq;
  c.out.model = c.model;
  c.out.until = static_cast<double>(c.generated) / kStepsPerSecond;
  closed_.push_back(std::move(c.out));
  c.started = true;
  c.out = Output{};
  c.moved = false;
}

void StudioEngine::apply(uint64_t id, const ClientMessage& m, double now) {
  Client& c = client(id);
  switch (m.type) {
    case ClientMessage::Type::kPlayed: {
      if (!c.anchored) {
        c.anchored = true;
        c.anchor_wall = now;
        c.anchor_stream = m.played;
      }
      const double bound = c.anchor_stream + (now - c.anchor_wall) + options_.clock_slack;
      c.played = std::max(c.played, std::min(m.played, bound));
      const int64_t played_steps = to_steps(c.played);
      if (c.generated < played_steps) {  // underrun: the clock jumps to the played time
        c.generated = played_steps;
        c.moved = true;
      }
      c.limit = to_steps(c.played + options_.lookahead);
      return;
    }
    case ClientMessage::Type::kControls: {
      int target = c.model;
      const std::string requested = m.model.value_or(c.requested);
      const bool conditioning = m.conditioning.value_or(c.conditioning);
      if (requested == "auto") {
        target = catalog_.auto_model(conditioning);
      } else {
        target = catalog_.find(requested);
        if (target < 0) throw InputError("control message: no model named '" + requested + "'");
      }
      close_output(c);
      c.seq = m.seq;
      c.requested = requested;
      c.conditioning = conditioning;
      c.controls.disable_conditioning = !conditioning;
      if (m.density) c.controls.note_density = *m.density;
      if (m.histogram)
        std::copy(m.histogram->begin(), m.histogram->end(), c.controls.pitch_histogram.begin());
      if (m.temperature) c.temperature = *m.temperature;
      if (target != c.model) {
        release_notes(c);
        leave_lane(c);
        join_lane(c, target);
      }
      answer(c);
      return;
    }
    case ClientMessage::Type::kReset:
      close_output(c);
      c.seq = m.seq;
      release_notes(c);
      restart(c);
      c.rng = StreamRng(c.seed + m.seq);
      answer(c);
      return;
    case ClientMessage::Type::kPrime:
      prime(c, m.notes);  // throws before changing anything
      c.seq = m.seq;
      c.rng = StreamRng(c.seed + m.seq);
      answer(c);
      return;
  }
}

void StudioEngine::answer(Client& c) {
  if (c.generated < c.limit + kDefaultMaxShiftSteps) {
    c.answer = true;  // acknowledged with its first event
  } else {
    c.moved = true;  // acknowledged at once; the events wait for credit
  }
}

bool StudioEngine::answers_pending() const {
  for (const auto& [id, c] : clients_) {
    if (c->answer) return true;
  }
  return false;
}

void StudioEngine::prime(Client& c, const std::vector<PrimerNote>& notes) {
  Lane& l = *lanes_[c.model];
  magenta::NoteSequence phrase;
  for (const PrimerNote& n : notes) {
    magenta::NoteSequence::Note* note = phrase.add_notes();
    note->set_start_time(n.start);
    note->set_end_time(n.end);
    note->set_pitch(n.pitch);
    note->set_velocity(n.velocity);
    phrase.set_total_time(std::max(phrase.total_time(), n.end));
  }
  const magenta::NoteSequence quantized = quantize_note_sequence_absolute(phrase, kStepsPerSecond);
  const std::vector<PerformanceEvent> events =
      Performance::from_quantized_sequence(quantized, 0, l.config.num_velocity_bins).events();
  if (events.empty()) throw InputError("control message: the phrase holds no notes");
  // All but the last event in one pass of the one-stream primer network; the last one is
  // the next input.
  if (!l.primer) {
    l.primer = std::make_unique<GenerationNetwork>(l.network.weights(), 1);
  }
  const size_t steps = events.size() - 1, groups = l.config.input_layout().num_groups(),
               dense_size = l.config.input_layout().dense_size;
  std::vector<int32_t> onehot(steps * groups);
  std::vector<float> dense(steps * dense_size);
  const ControlValues* controls = l.config.has_control_signals() ? &c.controls : nullptr;
  for (size_t i = 0; i < steps; ++i) {
    l.encoder.encode_input(events[i], controls, &dense[i * dense_size], &onehot[i * groups]);
  }
  l.primer->reset();
  l.primer->prime(1, static_cast<int>(steps), onehot, dense);
  close_output(c);
  release_notes(c);
  l.network.load_stream(c.slot, l.primer->save_stream(0));
  c.last = events.back();
  c.velocity = kDefaultVelocity;
  for (const PerformanceEvent& event : events) {
    if (event.type == EventType::kVelocity) {
      c.velocity = velocity_bin_to_velocity(event.value, l.config.num_velocity_bins);
    }
  }
}

int StudioEngine::step(bool urgent_only) {
  int stepped = 0;
  for (const auto& l : lanes_) {
    if (l) stepped += step_lane(*l, urgent_only);
  }
  return stepped;
}

int StudioEngine::step_lane(Lane& l, bool urgent_only) {
  auto needy = [&](int s) {
    const Client* c = l.slots[s];
    if (c == nullptr || !c->needs_events()) return false;
    return !urgent_only || c->answer || c->short_of_lead();
  };
  const int used = l.scratch_slot();
  int batch = 0;
  for (int s = 0; s < used; ++s) batch += needy(s);
  if (batch == 0) return 0;
  // The clients that need events move to slots [0, batch).
  for (int s = 0, j = batch; s < batch; ++s) {
    if (needy(s)) continue;
    while (!needy(j)) ++j;
    l.swap_slots(s, j);
  }
  const size_t groups = l.config.input_layout().num_groups(),
               dense_size = l.config.input_layout().dense_size;
  const bool controlled = l.config.has_control_signals();
  for (int s = 0; s < batch; ++s) {
    Client& c = *l.slots[s];
    l.encoder.encode_input(c.last, controlled ? &c.controls : nullptr, &l.dense[s * dense_size],
                           &l.onehot[s * groups]);
  }
  const std::span<const float> logits =
      l.network.step(batch, std::span(l.onehot.data(), batch * groups),
                     std::span(l.dense.data(), batch * dense_size));
  const size_t vocab = l.network.shape().num_logits();
  for (int s = 0; s < batch; ++s) {
    Client& c = *l.slots[s];
    const PerformanceEvent event = class_to_event(
        sample_logits(logits.subspan(s * vocab, vocab), c.temperature, c.rng, l.scratch).index);
    c.last = event;
    c.moved = true;
    c.answered = c.answer;
    c.answer = false;
    const double time = static_cast<double>(c.generated) / kStepsPerSecond;
    switch (event.type) {
      case EventType::kTimeShift:
        c.generated += event.value;
        break;
      case EventType::kVelocity:
        c.velocity = velocity_bin_to_velocity(event.value, l.config.num_velocity_bins);
        break;
      case EventType::kNoteOn:
        c.out.notes.push_back({time, event.value, c.velocity});
        c.sounding[event.value] = true;
        break;
      case EventType::kNoteOff:
        c.out.notes.push_back({time, event.value, 0});
        c.sounding[event.value] = false;
        break;
    }
  }
  ++network_steps_;
  client_events_ += batch;
  return batch;
}

void StudioEngine::take_outputs(std::vector<Output>& out, bool urgent_only) {
  for (Output& o : closed_) out.push_back(std::move(o));
  closed_.clear();
  for (auto& [id, c] : clients_) {
    const bool short_of_lead = c->short_of_lead();
    if (!c->started && short_of_lead) continue;  // a new stream's first lead gathers
    if (urgent_only && c->started && !c->answered && !short_of_lead) continue;
    c->answered = false;
    close_output(*c);
  }
  for (Output& o : closed_) out.push_back(std::move(o));
  closed_.clear();
}

}  // namespace prnn
