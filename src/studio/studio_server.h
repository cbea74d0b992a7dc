// `performance_rnn serve`: one process, one port, HTTP and WebSocket (Boost.Beast on
// Boost.Asio, one I/O thread) in front of StudioServerOptions::engines StudioEngines, each
// on a generation thread of its own with its share of the clients.
//
// HTTP: GET/HEAD of the page's files from the web folder (resolve_static_file), the
// samples folder under /samples/ when one is given, and /models.json; nothing else.
// Every request must name this server in its Host header (a loopback name when bound to
// loopback, so a page of another site reached by DNS rebinding gets 403). A request's
// header must arrive within header_timeout, at most 8 KiB, no body.
// WebSocket: "/stream" only; an Origin header, when present, must be this server's own
// (http://<Host>) or one of allowed_origins (403 otherwise); past max_clients the upgrade
// is answered 503. Each connection is one client of the engine (protocol in
// doc/formats/studio_protocol.md): messages over kMaxControlMessageBytes, binary
// messages and invalid UTF-8 close it; an invalid control message gets an "error" reply.
// Writes are asynchronous with a bounded queue per client (max_queue_bytes): a client
// that stops reading is dropped and nobody waits for it. Pings keep idle connections
// checked; one silent for idle_timeout is closed. SIGTERM or SIGINT: stop accepting, close
// every connection with "going away", return from run().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "studio/model_catalog.h"
#include "studio/studio_engine.h"

namespace prnn {

struct StudioServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::string web_dir;
  std::string samples_dir;  // served under /samples/ when not empty
  std::vector<std::string> allowed_origins;
  int max_clients = 256;
  double header_timeout = 10;  // seconds
  double idle_timeout = 60;    // seconds
  size_t max_queue_bytes = 256 * 1024;
  uint64_t seed = 0;  // 0: random seeds per client
  // Generation threads, each a StudioEngine of its own for its share of the clients; 0:
  // one per CPU. With several, a network step runs on one thread unless the engine
  // options' threads say otherwise (the engines already share the cores).
  int engines = 1;
};

class StudioServer {
 public:
  // Binds the port; InputError when the address cannot be used.
  StudioServer(StudioServerOptions options, const ModelCatalog& catalog,
               StudioEngineOptions engine_options);
  ~StudioServer();
  int port() const;
  // Serves until SIGTERM/SIGINT; returns after every connection is closed.
  void run();

  struct Impl;  // defined (and only used) in studio_server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace prnn
