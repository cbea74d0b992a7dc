// The studio's generator: every connected client's live stream, advanced by ONE batched
// network per model. Each client owns a stream slot in its model's GenerationNetwork (its
// LSTM state lives there, not in a network copy); a step() advances, per model, exactly
// the clients that need events now (batch = those clients, moved to the front slots by
// swapping states) by one event each.
//
// Flow control is credit-based (doc/formats/studio_protocol.md): a client may be given
// events stamped up to `lookahead` seconds past the stream time it reported played, and
// never more: a client needs events while its generated time is below that limit. Its
// reported time may not run ahead of the wall clock since its first report (plus a slack),
// so a client cannot make the server generate faster than it can play. When a client has
// played past what was generated (an underrun), its generated time jumps to the played
// time. Controls, resets and primes take effect from the next generated event, and that
// event is generated at the next step whether or not the client has credit (its
// "answer": a change is in the stream one step after it arrived, not once credit reopens),
// unless the stream already ran a whole time shift (1 s) past its credit (a client sending
// changes faster than it plays): then it waits for credit. So the generated time never
// runs past played + lookahead by more than two time shifts. A reset restarts that
// client's stream only (zero state, one second of silence as its input, as
// an unprimed stream starts, random numbers reseeded with client seed + seq), releasing
// its sounding notes; a prime does the same with the phrase as the primer. Sampling is the streaming
// API's (PerformanceStream): with the same seed, controls and temperature changed at the
// same events, and reset(seed + seq[, primer]) where the client resets or primes, a client
// gets the events a PerformanceStream yields.
//
// Not thread-safe: the server drives it from its generation thread.
#pragma once

#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "nn/generation_network.h"
#include "generate/sampler.h"
#include "performance/control_signals.h"
#include "performance/encoder.h"
#include "studio/control_message.h"
#include "studio/model_catalog.h"

namespace prnn {

// What the page plays: at stream time `time` (seconds), `pitch` starts with `velocity`
// (1-127) or, with velocity 0, ends.
struct StudioNote {
  double time = 0;
  int pitch = 0;
  int velocity = 0;
};

struct StudioEngineOptions {
  double lookahead = 0.5;    // seconds of credit past the played time
  int capacity = 256;        // clients at once
  double clock_slack = 0.5;  // seconds a reported time may run ahead of the wall clock
  NetworkKernels kernels = NetworkKernels::fast();  // of every model's network
  // Threads per network step (OpenMP); 0: automatic (GenerationNetwork::set_threads).
  int threads = 0;
};

class StudioEngine {
 public:
  StudioEngine(const ModelCatalog& catalog, StudioEngineOptions options);
  ~StudioEngine();

  // A new client playing the "auto" model with conditioning off, nothing played yet.
  // REQUIRES: id unused, fewer than capacity clients.
  void add_client(uint64_t id, uint64_t seed);
  void remove_client(uint64_t id);
  size_t num_clients() const { return clients_.size(); }

  // Applies a validated message; `now`: wall-clock seconds (any fixed origin). InputError
  // for a value the models cannot take (an unknown model name, a phrase that does not
  // encode); the client's state is then unchanged.
  void apply(uint64_t id, const ClientMessage& message, double now);

  // One event for every client that needs one, one batched network step per model;
  // urgent_only: only for the clients whose answer is pending (answers_pending()) or whose
  // stream has less than kUrgentSeconds generated past what they played (a stream just
  // begun, reset or primed, or one about to run dry). Returns the number of clients stepped
  // (0: nobody needs events).
  int step(bool urgent_only = false);
  static constexpr double kUrgentSeconds = 0.15;

  struct Output {
    uint64_t id = 0;
    uint64_t seq = 0;  // the client's last control/reset/prime in effect for these notes
    int model = 0;     // index into the catalog
    double until = 0;  // stream time generated up to (seconds)
    std::vector<StudioNote> notes;
  };
  // Moves out what was generated since the last call, one Output per client and seq;
  // clients with nothing new are left out, and so is a new stream until it has
  // kUrgentSeconds generated past what it played (a player that starts on its first
  // events has that much in hand). The Output that first carries a new seq is
  // the change's acknowledgement: it holds the answer (the first event generated under
  // the change), or, for a client past the answer bound, nothing yet.
  // urgent_only: only the clients whose answer the last step generated, whose stream is
  // less than kUrgentSeconds past what they played, or whose first output this is (to send
  // them at once, while the others' events gather).
  void take_outputs(std::vector<Output>& out, bool urgent_only = false);
  // Whether some client waits for its answer (the next step() generates it).
  bool answers_pending() const;

  // The model a client plays now (catalog index).
  int client_model(uint64_t id) const;
  // Totals since construction: network steps, and client events (sum of batch sizes).
  int64_t network_steps() const { return network_steps_; }
  int64_t client_events() const { return client_events_; }

 private:
  struct Client;
  struct Lane;
  Client& client(uint64_t id);
  Lane& lane(int model);
  void join_lane(Client& c, int model);
  void leave_lane(Client& c);
  void release_notes(Client& c);
  void close_output(Client& c);
  void restart(Client& c);
  void prime(Client& c, const std::vector<PrimerNote>& notes);
  void answer(Client& c);
  int step_lane(Lane& lane, bool urgent_only);

  const ModelCatalog& catalog_;
  StudioEngineOptions options_;
  std::unordered_map<uint64_t, std::unique_ptr<Client>> clients_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // one per catalog model, made when first used
  std::vector<Output> closed_;                // outputs whose seq was superseded
  int64_t network_steps_ = 0, client_events_ = 0;
};

}  // namespace prnn
