// The messages a studio page sends to the server (doc/formats/studio_protocol.md), parsed
// and validated strictly: a JSON object of at most kMaxControlMessageBytes with a known
// "type", only that type's fields, each of the right JSON type and inside its range.
// Anything else is an InputError whose message names the field and what is wrong (the
// server sends it back to that client as an "error" message). Pure function;
// thread-safe; never crashes on any input (a libFuzzer target covers it).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prnn {

inline constexpr size_t kMaxControlMessageBytes = 4096;
inline constexpr double kMinStudioTemperature = 0.05, kMaxStudioTemperature = 5.0;
inline constexpr double kMaxStudioDensity = 128.0;  // notes per second
inline constexpr double kMaxStudioTime = 1e7;       // seconds of stream time (~115 days)
inline constexpr size_t kMaxPrimerNotes = 128;
inline constexpr size_t kMaxModelNameBytes = 200;

// One note of a call-and-response phrase, times in seconds from the phrase's start.
struct PrimerNote {
  double start = 0, end = 0;
  int pitch = 60, velocity = 100;
};

struct ClientMessage {
  enum class Type { kPlayed, kControls, kReset, kPrime };
  Type type = Type::kPlayed;
  // kPlayed: the stream time the client has played up to.
  double played = 0;
  // kControls, kReset, kPrime: the client's sequence number, echoed in "events" messages
  // once the change is in effect.
  uint64_t seq = 0;
  // kControls: each present field changes; absent ones keep their value.
  std::optional<bool> conditioning;
  std::optional<double> density;                    // notes per second
  std::optional<std::array<double, 12>> histogram;  // pitch-class weights, C first
  std::optional<double> temperature;
  std::optional<std::string> model;  // a served model's name, or "auto"
  // kPrime: the phrase that primes the restarted stream.
  std::vector<PrimerNote> notes;
};

ClientMessage parse_client_message(std::string_view text);

}  // namespace prnn
