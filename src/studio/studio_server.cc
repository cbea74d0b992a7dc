#include "studio/studio_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <omp.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <variant>

#include "base/error.h"
#include "base/log.h"
#include "studio/server_messages.h"
#include "studio/static_files.h"

namespace prnn {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(s));
}

bool is_loopback_name(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

}  // namespace

// The generation thread: joins, leaves and messages in; engine steps; outputs out (encoded
// and sent by the I/O thread, so this thread only steps the network).
//
// Steps come in rounds: a round steps until nobody needs events. Each step's batch is the
// urgent clients (StudioEngine::step(urgent_only): a pending answer, or less than 0.15 s
// generated past the played time, as for a stream just begun or one about to run dry) when
// there are any, else all who need events: when an engine is overloaded, the streams
// nearest to running dry get the short steps of a small batch rather than waiting on the
// long steps of a large one. A new round starts kBatchWindow after the last one ended, so
// that the credit reports arriving meanwhile (each client's, every 50 ms) make large
// batches rather than many small ones. Between rounds the mail is read at least every
// kUrgentPoll, and at once when a change (controls, reset, prime) arrives; the urgent
// clients are then stepped at once and their events sent after every step (a player may
// start on the first of them); the others keep gathering credit for the next round.
// Messages that arrive during a round are applied between its steps; the answers and the
// streams short of lead (StudioEngine::take_outputs urgent_only) are sent after every
// step, the others' events (each with more than 0.15 s in hand) every kFlushEvery of
// stepping and at the round's end: fewer, larger messages.
//
// A server runs several of these (StudioServerOptions::engines), each with its own
// clients and networks (the networks of one model share its packed weights,
// StudioModel::weights), so that no step waits for another thread.
class EngineThread {
 public:
  using Deliver = std::function<void(std::vector<StudioEngine::Output> outputs)>;
  using Refuse = std::function<void(uint64_t id, std::string message)>;
  EngineThread(int index, const ModelCatalog& catalog, StudioEngineOptions options, Deliver deliver,
               Refuse refuse)
      : index_(index),
        engine_(catalog, options),
        deliver_(std::move(deliver)),
        refuse_(std::move(refuse)),
        thread_([this] { loop(); }) {}
  ~EngineThread() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (!thread_.joinable()) return;
    thread_.join();
    const int64_t steps = engine_.network_steps(), events = engine_.client_events();
    log_info("studio: engine " + std::to_string(index_) + ": " + std::to_string(steps) +
             " network steps, " + std::to_string(events) + " client events (mean batch " +
             std::to_string(steps ? static_cast<double>(events) / steps : 0.0) + "), " +
             std::to_string(rounds_) + " rounds, " + std::to_string(round_seconds_) +
             " s in rounds");
  }
  void join(uint64_t id, uint64_t seed) { push({id, Join{seed}}); }
  void leave(uint64_t id) { push({id, Leave{}}); }
  void message(uint64_t id, ClientMessage message) { push({id, std::move(message)}); }

 private:
  static constexpr auto kBatchWindow = std::chrono::milliseconds(40);
  static constexpr auto kFlushEvery = std::chrono::milliseconds(40);
  static constexpr auto kUrgentPoll = std::chrono::milliseconds(10);
  using Clock = std::chrono::steady_clock;

  struct Join {
    uint64_t seed;
  };
  struct Leave {};
  struct Item {
    uint64_t id;
    std::variant<Join, Leave, ClientMessage> what;
  };
  void push(Item item) {
    const bool change = std::holds_alternative<ClientMessage>(item.what) &&
                        std::get<ClientMessage>(item.what).type != ClientMessage::Type::kPlayed;
    {
      std::lock_guard lock(mutex_);
      inbox_.push_back(std::move(item));
      has_mail_.store(true, std::memory_order_release);
      change_ = change_ || change;
    }
    if (change) wake_.notify_one();
  }
  // Waits until `until` or a change (a message that needs its answer) or stop, then
  // applies every message that arrived. Returns false when stopping.
  bool take_mail(Clock::time_point until) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, until, [&] { return stopping_ || change_; });
      if (stopping_) return false;
      items_.swap(inbox_);
      has_mail_.store(false, std::memory_order_relaxed);
      change_ = false;
    }
    const double now = wall_seconds();
    for (Item& item : items_) handle(item, now);
    items_.clear();
    return true;
  }
  void flush(bool urgent_only) {
    std::vector<StudioEngine::Output> outputs;
    engine_.take_outputs(outputs, urgent_only);
    if (!outputs.empty()) deliver_(std::move(outputs));
  }
  // The urgent clients if there are any, else all who need events.
  int step_urgent_first() {
    const int urgent = engine_.step(/*urgent_only=*/true);
    return urgent > 0 ? urgent : engine_.step();
  }
  void loop() {
    Clock::time_point next_round = Clock::now();
    while (true) {
      if (!take_mail(std::min(next_round, Clock::now() + kUrgentPoll))) return;
      if (Clock::now() < next_round) {
        while (engine_.step(/*urgent_only=*/true) > 0) flush(false);
        continue;
      }
      Clock::time_point flushed = Clock::now();
      const Clock::time_point round_start = flushed;
      ++rounds_;
      while (step_urgent_first() > 0) {
        flush(true);
        if (has_mail_.load(std::memory_order_acquire) && !take_mail({})) return;
        if (Clock::now() - flushed >= kFlushEvery) {
          flush(false);
          flushed = Clock::now();
        }
      }
      flush(false);
      round_seconds_ += std::chrono::duration<double>(Clock::now() - round_start).count();
      next_round = Clock::now() + kBatchWindow;
    }
  }
  void handle(Item& item, double now) {
    if (auto* join = std::get_if<Join>(&item.what)) {
      engine_.add_client(item.id, join->seed);
    } else if (std::holds_alternative<Leave>(item.what)) {
      engine_.remove_client(item.id);
    } else {
      try {
        engine_.apply(item.id, std::get<ClientMessage>(item.what), now);
      } catch (const InputError& error) {
        refuse_(item.id, error_message(error.what()));
      }
    }
  }

  int index_;
  StudioEngine engine_;
  Deliver deliver_;
  Refuse refuse_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> inbox_, items_;
  std::atomic<bool> has_mail_{false};
  bool stopping_ = false, change_ = false;
  int64_t rounds_ = 0;
  double round_seconds_ = 0;
  std::thread thread_;
};

struct StudioServer::Impl {
  Impl(StudioServerOptions o, const ModelCatalog& c, StudioEngineOptions engine_options);
  void accept();
  void shut_down();
  bool host_allowed(std::string_view host) const;
  bool origin_allowed(std::string_view origin, std::string_view host) const;
  void send_to(uint64_t id, std::string message);  // on the I/O thread

  StudioServerOptions options;
  const ModelCatalog& catalog;
  double lookahead;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::unordered_map<uint64_t, std::weak_ptr<class WebSocketSession>> sessions;
  uint64_t next_id = 1;
  std::mt19937_64 seeds;
  bool stopping = false;
  // The generation threads, each with its own clients (a client joins the one with the
  // fewest): they share no batch and wait for no one.
  std::vector<std::unique_ptr<EngineThread>> engines;
  std::vector<int> engine_clients;  // clients per engine
  // The engine with the fewest clients takes client `id`; returns its index.
  int join_engine(uint64_t id, uint64_t seed);
  void leave_engine(int engine, uint64_t id);
};

// One WebSocket client.
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(StudioServer::Impl& server, tcp::socket socket, uint64_t id)
      : server_(server), ws_(std::move(socket)), id_(id) {}

  void start(http::request<http::string_body> request) {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = seconds(server_.options.header_timeout);
    timeout.idle_timeout = seconds(server_.options.idle_timeout);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, "performance_rnn");
    }));
    ws_.read_message_max(kMaxControlMessageBytes);
    ws_.async_accept(
        request, [self = shared_from_this()](beast::error_code error) { self->on_accept(error); });
  }

  void send(std::string message) {
    if (closed_) return;
    if (queued_bytes_ + message.size() > server_.options.max_queue_bytes) {
      log_warn("studio: client " + std::to_string(id_) + " is not reading; dropped");
      drop();
      return;
    }
    queued_bytes_ += message.size();
    queue_.push_back(std::move(message));
    if (queue_.size() == 1) write_next();
  }

  // Ends the connection at once (a client that does not read gets no close handshake).
  void drop() {
    finish();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  void close_going_away() {
    if (closed_) return;
    if (!queue_.empty() || !accepted_) return drop();  // one write at a time
    finish();
    ws_.async_close(websocket::close_code::going_away,
                    [self = shared_from_this()](beast::error_code) {});
  }

 private:
  void on_accept(beast::error_code error) {
    if (error) return finish();
    server_.sessions[id_] = weak_from_this();
    accepted_ = true;
    const uint64_t seed = server_.options.seed ? server_.options.seed + id_ : server_.seeds();
    engine_ = server_.join_engine(id_, seed);
    send(hello_message(server_.catalog, server_.lookahead, server_.options.max_clients,
                       !server_.options.samples_dir.empty()));
    read_next();
  }

  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, size_t) {
      self->on_read(error);
    });
  }

  void on_read(beast::error_code error) {
    if (closed_) return;  // dropped meanwhile: it left its engine
    if (error) return finish();
    if (!ws_.got_text()) {
      log_warn("studio: client " + std::to_string(id_) + " sent a binary message; dropped");
      return drop();
    }
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    try {
      server_.engines[engine_]->message(id_, parse_client_message(text));
    } catch (const InputError& e) {
      send(error_message(e.what()));
    }
    read_next();
  }

  void write_next() {
    ws_.text(true);
    ws_.async_write(
        net::buffer(queue_.front()),
        [self = shared_from_this()](beast::error_code error, size_t) { self->on_write(error); });
  }

  void on_write(beast::error_code error) {
    if (error) return finish();
    queued_bytes_ -= queue_.front().size();
    queue_.pop_front();
    if (!queue_.empty()) write_next();
  }

  // Leaves the engine once, whatever ended the connection.
  void finish() {
    if (closed_) return;
    closed_ = true;
    server_.sessions.erase(id_);
    if (accepted_) server_.leave_engine(engine_, id_);
  }

  StudioServer::Impl& server_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  uint64_t id_;
  int engine_ = -1;  // once accepted
  bool accepted_ = false, closed_ = false;
};

// One HTTP connection: requests one after another, or an upgrade to a WebSocketSession.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(StudioServer::Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {}

  void read_next() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(0);
    stream_.expires_after(seconds(server_.options.header_timeout));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, size_t) { self->on_read(error); });
  }

 private:
  void on_read(beast::error_code error) {
    if (error == http::error::end_of_stream) return close();
    if (error) return close();
    http::request<http::string_body> request = parser_->release();
    const std::string host(request[http::field::host]);
    if (!server_.host_allowed(host))
      return respond_text(request, http::status::forbidden, "Host not served here\n");
    if (websocket::is_upgrade(request)) return upgrade(std::move(request), host);
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      return respond_text(request, http::status::method_not_allowed, "GET or HEAD only\n");
    }
    serve_file(request);
  }

  void upgrade(http::request<http::string_body> request, const std::string& host) {
    const std::string target(request.target());
    if (target != "/stream") return respond_text(request, http::status::not_found, "not found\n");
    const auto origin = request.find(http::field::origin);
    const std::string origin_text =
        origin == request.end() ? "" : std::string(origin->value().data(), origin->value().size());
    if (origin != request.end() && !server_.origin_allowed(origin_text, host)) {
      log_warn("studio: WebSocket from origin '" + origin_text + "' refused");
      return respond_text(request, http::status::forbidden, "origin not allowed\n");
    }
    if (server_.stopping ||
        server_.sessions.size() >= static_cast<size_t>(server_.options.max_clients)) {
      return respond_text(request, http::status::service_unavailable, "too many clients\n");
    }
    stream_.expires_never();
    auto session =
        std::make_shared<WebSocketSession>(server_, stream_.release_socket(), server_.next_id++);
    // Counted from now on so that a burst of upgrades cannot pass max_clients.
    server_.sessions[server_.next_id - 1] = session;
    session->start(std::move(request));
  }

  void serve_file(const http::request<http::string_body>& request) {
    const std::string target(request.target());
    if (target == "/models.json") {
      return respond_text(
          request, http::status::ok,
          hello_message(server_.catalog, server_.lookahead, server_.options.max_clients,
                        !server_.options.samples_dir.empty()),
          "application/json");
    }
    std::optional<std::string> path;
    if (target.starts_with("/samples/") && !server_.options.samples_dir.empty()) {
      path = resolve_static_file(server_.options.samples_dir, target.substr(8));
    } else {
      path = resolve_static_file(server_.options.web_dir, target);
    }
    if (!path) return respond_text(request, http::status::not_found, "not found\n");
    http::file_body::value_type body;
    beast::error_code error;
    body.open(path->c_str(), beast::file_mode::scan, error);
    if (error) return respond_text(request, http::status::not_found, "not found\n");
    auto response = std::make_shared<http::response<http::file_body>>(
        std::piecewise_construct, std::make_tuple(std::move(body)),
        std::make_tuple(http::status::ok, request.version()));
    response->set(http::field::server, "performance_rnn");
    response->set(http::field::content_type, std::string(content_type_for(*path)));
    response->set(http::field::cache_control, "no-cache");
    response->set("X-Content-Type-Options", "nosniff");
    response->keep_alive(request.keep_alive());
    response->prepare_payload();
    if (request.method() == http::verb::head) {
      auto head =
          std::make_shared<http::response<http::empty_body>>(response->result(), request.version());
      for (const auto& field : *response) head->set(field.name_string(), field.value());
      return write(head);
    }
    write(response);
  }

  void respond_text(const http::request<http::string_body>& request, http::status status,
                    std::string text, const char* type = "text/plain; charset=utf-8") {
    auto response = std::make_shared<http::response<http::string_body>>(status, request.version());
    response->set(http::field::server, "performance_rnn");
    response->set(http::field::content_type, type);
    response->set("X-Content-Type-Options", "nosniff");
    response->keep_alive(request.keep_alive() && status == http::status::ok);
    if (request.method() != http::verb::head) response->body() = std::move(text);
    response->prepare_payload();
    write(response);
  }

  template <class Response>
  void write(std::shared_ptr<Response> response) {
    stream_.expires_after(seconds(server_.options.idle_timeout));
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code error, size_t) {
                        if (error || !response->keep_alive()) return self->close();
                        self->read_next();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  StudioServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{8 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
};

StudioServer::Impl::Impl(StudioServerOptions o, const ModelCatalog& c,
                         StudioEngineOptions engine_options)
    : options(std::move(o)),
      catalog(c),
      lookahead(engine_options.lookahead),
      seeds(std::random_device{}()) {
  beast::error_code error;
  const auto address =
      net::ip::make_address(options.host == "localhost" ? "127.0.0.1" : options.host, error);
  if (error) throw InputError("--host: '" + options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    throw InputError("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                     ": " + error.message());
  }
  const int count = std::clamp(options.engines > 0 ? options.engines : omp_get_num_procs(), 1,
                               options.max_clients);
  if (count > 1 && engine_options.threads == 0) engine_options.threads = 1;
  // A join goes to the engine with the fewest clients, which has fewer than
  // max_clients / count of them.
  engine_options.capacity = (options.max_clients + count - 1) / count;
  for (int e = 0; e < count; ++e) {
    engines.push_back(std::make_unique<EngineThread>(
        e, catalog, engine_options,
        [this](std::vector<StudioEngine::Output> outputs) {
          net::post(ioc, [this, outputs = std::move(outputs)] {
            for (const StudioEngine::Output& output : outputs) {
              send_to(output.id, events_message(output, catalog));
            }
          });
        },
        [this](uint64_t id, std::string message) {
          net::post(ioc, [this, id, message = std::move(message)]() mutable {
            send_to(id, std::move(message));
          });
        }));
  }
  engine_clients.assign(count, 0);
}

int StudioServer::Impl::join_engine(uint64_t id, uint64_t seed) {
  const int e = static_cast<int>(std::min_element(engine_clients.begin(), engine_clients.end()) -
                                 engine_clients.begin());
  ++engine_clients[e];
  engines[e]->join(id, seed);
  return e;
}

void StudioServer::Impl::leave_engine(int engine, uint64_t id) {
  engines[engine]->leave(id);
  --engine_clients[engine];
}

void StudioServer::Impl::send_to(uint64_t id, std::string message) {
  const auto it = sessions.find(id);
  if (it == sessions.end()) return;
  if (auto session = it->second.lock()) session->send(std::move(message));
}

bool StudioServer::Impl::host_allowed(std::string_view host) const {
  const std::string port = ":" + std::to_string(acceptor.local_endpoint().port());
  if (!host.ends_with(port)) return false;
  const std::string name(host.substr(0, host.size() - port.size()));
  if (is_loopback_name(options.host) || options.host == "0.0.0.0" || options.host == "::") {
    if (is_loopback_name(name)) return true;
  }
  return name == options.host || !is_loopback_name(options.host);
}

bool StudioServer::Impl::origin_allowed(std::string_view origin, std::string_view host) const {
  if (origin == "http://" + std::string(host)) return true;
  for (const std::string& allowed : options.allowed_origins) {
    if (origin == allowed) return true;
  }
  return false;
}

void StudioServer::Impl::accept() {
  acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
    if (stopping) return;
    if (!error) {
      // Small messages both ways: no Nagle delay waiting for the peer's delayed ACK.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<HttpSession>(*this, std::move(socket))->read_next();
    }
    accept();
  });
}

void StudioServer::Impl::shut_down() {
  if (stopping) return;
  stopping = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  for (auto& [id, weak] : std::unordered_map(sessions)) {
    if (auto session = weak.lock()) session->close_going_away();
  }
  // Whatever has not closed within a second (HTTP keep-alive, clients that do not answer
  // the close) is cut by stopping the loop.
  auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::seconds(1));
  timer->async_wait([this, timer](beast::error_code) { ioc.stop(); });
}

StudioServer::StudioServer(StudioServerOptions options, const ModelCatalog& catalog,
                           StudioEngineOptions engine_options)
    : impl_(std::make_unique<Impl>(std::move(options), catalog, engine_options)) {}

StudioServer::~StudioServer() = default;

int StudioServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void StudioServer::run() {
  impl_->signals.async_wait([this](beast::error_code, int) { impl_->shut_down(); });
  impl_->accept();
  impl_->ioc.run();
  for (auto& engine : impl_->engines) engine->stop();
}

}  // namespace prnn
