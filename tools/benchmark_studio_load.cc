// `performance_rnn benchmark studio_load`: N WebSocket clients of a running studio server
// (performance_rnn serve) on this machine, each playing in real time: it reports its
// played time every --report_ms, asks for --density notes per second (conditioning on),
// and changes a control (temperature 1.0 ↔ 0.99) every 2 s. The clients join one after
// another over --ramp_s seconds (0: all at once); each starts its play clock when its
// first events arrive (as a player that waits for the stream). Per client it tracks the lowest
// lookahead (stream time received minus time played, just before each message arrives;
// below 0 is an underrun) once its first events arrived, and each control change's
// latency: sent → the "events" message carrying its seq (the server's acknowledgement,
// which carries the first event generated under the change), and sent → the first notes
// generated under it (a later event may be the first note). Prints one JSON line.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.h"
#include "base/flags.h"
#include "benchmark_case.h"

namespace prnn {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct LoadClient : std::enable_shared_from_this<LoadClient> {
  LoadClient(net::io_context& ioc, std::string host) : ws(ioc), host(std::move(host)) {}
  websocket::stream<beast::tcp_stream> ws;
  std::string host;
  beast::flat_buffer buffer;
  std::deque<std::string> queue;
  bool open = false, failed = false, got_events = false;
  Clock::time_point start;  // stream time 0 of the play clock: when the first events came
  double until = 0, min_lookahead = 1e9, min_lookahead_at = 0;
  int64_t notes = 0, messages = 0, errors = 0, underruns = 0, late_underruns = 0;
  double min_late_lookahead = 1e9;  // from 1 s of play on (after the joining burst)
  Clock::time_point first_underrun_at;
  uint64_t seq = 1, pending_seq = 0, pending_note_seq = 0;
  Clock::time_point pending_sent;
  std::vector<double> latencies_ms, note_latencies_ms;
  std::string last_error;

  void connect(const tcp::endpoint& endpoint, std::string init) {
    beast::get_lowest_layer(ws).async_connect(
        endpoint, [self = shared_from_this(), init](beast::error_code error) {
          if (error) return self->fail("connect: " + error.message());
          beast::error_code ignored;
          beast::get_lowest_layer(self->ws).socket().set_option(tcp::no_delay(true), ignored);
          self->ws.async_handshake(self->host, "/stream", [self, init](beast::error_code error) {
            if (error) return self->fail("handshake: " + error.message());
            self->open = true;
            self->send(init);
            self->send(R"({"type":"played","t":0})");
            self->read();
          });
        });
  }
  void fail(const std::string& what) {
    if (!failed) last_error = what;
    failed = true;
    open = false;
  }
  void read() {
    ws.async_read(buffer, [self = shared_from_this()](beast::error_code error, size_t) {
      if (error) return self->fail("read: " + error.message());
      self->on_message(beast::buffers_to_string(self->buffer.data()));
      self->buffer.consume(self->buffer.size());
      self->read();
    });
  }
  void on_message(const std::string& text) {
    const nlohmann::json m = nlohmann::json::parse(text, nullptr, false);
    if (m.is_discarded() || !m.contains("type")) return fail("bad message: " + text.substr(0, 80));
    if (m["type"] == "error") {
      ++errors;
      last_error = m.value("message", "");
      return;
    }
    if (m["type"] != "events") return;
    ++messages;
    notes += static_cast<int64_t>(m["notes"].size());
    // The lookahead is lowest just before a message arrives: what was received before it,
    // minus the time played now.
    const double played = got_events ? since(start) : 0;
    if (got_events) {
      const double lookahead = until - played;
      if (lookahead < min_lookahead) {
        min_lookahead = lookahead;
        min_lookahead_at = played;
      }
      if (lookahead < 0 && underruns++ == 0) first_underrun_at = Clock::now();
      if (played >= 1.0) {
        min_late_lookahead = std::min(min_late_lookahead, lookahead);
        if (lookahead < 0) ++late_underruns;
      }
    }
    until = std::max(until, m["until"].get<double>());
    if (!got_events && until > 0) {  // the stream has begun: the player starts
      got_events = true;
      start = Clock::now();
    }
    const uint64_t got = m["seq"].get<uint64_t>();
    const double ms = 1000 * std::chrono::duration<double>(Clock::now() - pending_sent).count();
    if (pending_seq && got >= pending_seq) {
      latencies_ms.push_back(ms);
      pending_seq = 0;
    }
    if (pending_note_seq && got >= pending_note_seq && !m["notes"].empty()) {
      note_latencies_ms.push_back(ms);
      pending_note_seq = 0;
    }
  }
  void send(std::string message) {
    queue.push_back(std::move(message));
    if (queue.size() == 1) write();
  }
  void write() {
    ws.async_write(net::buffer(queue.front()),
                   [self = shared_from_this()](beast::error_code error, size_t) {
                     if (error) return self->fail("write: " + error.message());
                     self->queue.pop_front();
                     if (!self->queue.empty()) self->write();
                   });
  }
  // Called every report period.
  void tick(bool change_control, double temperature) {
    if (!open) return;
    const double played = got_events ? since(start) : 0;
    send(R"({"type":"played","t":)" + std::to_string(played) + "}");
    if (change_control && pending_seq == 0 && pending_note_seq == 0) {
      ++seq;
      pending_seq = pending_note_seq = seq;
      pending_sent = Clock::now();
      send(R"({"type":"controls","seq":)" + std::to_string(seq) + R"(,"temperature":)" +
           std::to_string(temperature) + "}");
    }
  }
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t i = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[i];
}

int benchmark_studio_load(int argc, char** argv) {
  int port = 8080, clients = 128, report_ms = 50;
  double seconds = 60, density = 8, ramp_s = 2;
  std::string host = "127.0.0.1";
  FlagSet flags("performance_rnn benchmark studio_load",
                "N live clients of a running studio server; prints underruns and latencies.");
  flags.add("host", &host, "the server's address (loopback only)");
  flags.add("port", &port, "the server's port");
  flags.add("clients", &clients, "simultaneous clients");
  flags.add("seconds", &seconds, "how long each client plays");
  flags.add("density", &density, "notes per second asked for (conditioning on)");
  flags.add("report_ms", &report_ms, "how often each client reports its played time");
  flags.add("ramp_s", &ramp_s, "the clients join evenly over this many seconds (0: at once)");
  if (!flags.parse(argc, argv)) return 0;
  if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
    throw UsageError("--host: this benchmark only connects to this machine (loopback)");
  }
  if (clients < 1 || clients > 4096 || seconds <= 0 || seconds > 3600 || report_ms < 5 ||
      !(ramp_s >= 0 && ramp_s <= 60)) {
    throw UsageError(
        "--clients 1-4096, --seconds up to 3600, --report_ms at least 5, --ramp_s 0-60");
  }
  net::io_context ioc{1};
  const tcp::endpoint endpoint(net::ip::make_address(host == "localhost" ? "127.0.0.1" : host),
                               static_cast<unsigned short>(port));
  const std::string host_header = (host == "::1" ? "[::1]" : host) + ":" + std::to_string(port);
  const std::string init = R"({"type":"controls","seq":1,"conditioning":true,"density":)" +
                           std::to_string(density) + "}";
  std::vector<std::shared_ptr<LoadClient>> all;
  for (int i = 0; i < clients; ++i) all.push_back(std::make_shared<LoadClient>(ioc, host_header));
  const Clock::time_point start = Clock::now();
  size_t joined = 0;
  auto join_due = [&] {  // client i joins at i · ramp_s / clients
    while (joined < all.size() && since(start) >= ramp_s * static_cast<double>(joined) / clients) {
      all[joined++]->connect(endpoint, init);
    }
  };
  join_due();
  net::steady_timer timer(ioc);
  int64_t ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    join_due();
    const int per_change = std::max(1, 2000 / report_ms);
    for (size_t i = 0; i < joined; ++i) {
      LoadClient& c = *all[i];
      if (c.open && c.got_events && since(c.start) >= seconds) {  // played its time: leaves
        c.open = false;
        beast::error_code ignored;
        beast::get_lowest_layer(c.ws).socket().close(ignored);
      }
      // Control changes spread over the period so that they do not all coincide.
      const bool change = (ticks + static_cast<int64_t>(i)) % per_change == 0;
      c.tick(change, (ticks / per_change) % 2 ? 0.99 : 1.0);
    }
    if (since(start) >= seconds + ramp_s + 2) {  // (a client that never started)
      for (auto& c : all) {
        beast::error_code ignored;
        beast::get_lowest_layer(c->ws).socket().close(ignored);
      }
      return;
    }
    timer.expires_at(start + std::chrono::milliseconds(report_ms * (ticks + 1)));
    timer.async_wait([&](beast::error_code error) {
      if (!error) tick();
    });
  };
  timer.expires_after(std::chrono::milliseconds(report_ms));
  timer.async_wait([&](beast::error_code error) {
    if (!error) tick();
  });
  ioc.run();

  std::vector<double> latencies, note_latencies;
  double min_lookahead = 1e9, min_lookahead_at = 0;
  int64_t notes = 0, messages = 0, errors = 0, underrun_clients = 0, connected = 0,
          never_played = 0, late_underrun_clients = 0;
  double min_late_lookahead = 1e9;
  std::string first_error;
  std::vector<double> first_underruns;  // seconds since the start, each client's first
  for (const auto& c : all) {
    if (c->underruns > 0)
      first_underruns.push_back(
          std::round(std::chrono::duration<double>(c->first_underrun_at - start).count() * 100) /
          100);
    latencies.insert(latencies.end(), c->latencies_ms.begin(), c->latencies_ms.end());
    note_latencies.insert(note_latencies.end(), c->note_latencies_ms.begin(),
                          c->note_latencies_ms.end());
    if (c->got_events) {
      if (c->min_lookahead < min_lookahead) {
        min_lookahead = c->min_lookahead;
        min_lookahead_at = c->min_lookahead_at;
      }
    } else {
      ++never_played;
    }
    notes += c->notes;
    messages += c->messages;
    errors += c->errors;
    underrun_clients += c->underruns > 0;
    late_underrun_clients += c->late_underruns > 0;
    min_late_lookahead = std::min(min_late_lookahead, c->min_late_lookahead);
    connected += c->messages > 0;
    if (first_error.empty() && !c->last_error.empty() && c->errors) first_error = c->last_error;
  }
  std::sort(first_underruns.begin(), first_underruns.end());
  const nlohmann::json out = {
      {"benchmark", "studio_load"},
      {"clients", clients},
      {"seconds", seconds},
      {"density", density},
      {"report_ms", report_ms},
      {"ramp_s", ramp_s},
      {"clients_served", connected},
      {"clients_never_served", never_played},
      {"clients_with_underrun", underrun_clients},
      {"min_lookahead_s", never_played == clients ? 0.0 : min_lookahead},
      {"min_lookahead_at_s", min_lookahead_at},  // the client's play time then
      // The same from 1 s of play on: all clients join at once, so the first second is a
      // burst of every client's first lookahead.
      {"clients_with_underrun_after_1s", late_underrun_clients},
      {"min_lookahead_after_1s", never_played == clients ? 0.0 : min_late_lookahead},
      // When each underrunning client first underran (seconds since the benchmark began,
      // ascending): one moment for many clients is a stall of the server.
      {"first_underrun_s", first_underruns},
      {"control_latency_ms",
       {{"count", latencies.size()},
        {"p50", percentile(latencies, 0.5)},
        {"p99", percentile(latencies, 0.99)},
        {"max", percentile(latencies, 1.0)}}},
      {"control_to_first_note_ms",
       {{"count", note_latencies.size()},
        {"p50", percentile(note_latencies, 0.5)},
        {"p99", percentile(note_latencies, 0.99)},
        {"max", percentile(note_latencies, 1.0)}}},
      {"notes_per_client_per_s", notes / seconds / clients},
      {"messages", messages},
      {"error_replies", errors},
      {"first_error", first_error},
  };
  std::printf("%s\n", out.dump().c_str());
  return underrun_clients == 0 && never_played == 0 ? 0 : 1;
}

}  // namespace

PRNN_BENCHMARK_CASE("studio_load", benchmark_studio_load);

}  // namespace prnn
