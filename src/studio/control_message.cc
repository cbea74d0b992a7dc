#include "studio/control_message.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "base/error.h"

namespace prnn {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& what) { throw InputError("control message: " + what); }

double number_in(const json& value, const char* name, double low, double high) {
  if (!value.is_number()) bad(std::string("'") + name + "' must be a number");
  const double x = value.get<double>();
  if (!std::isfinite(x) || x < low || x > high) {
    bad(std::string("'") + name + "' must be in [" + json(low).dump() + ", " + json(high).dump() +
        "]");
  }
  return x;
}

int integer_in(const json& value, const char* name, int low, int high) {
  if (!value.is_number_integer()) bad(std::string("'") + name + "' must be an integer");
  const int64_t x = value.is_number_unsigned()
                        ? static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), 1u << 31))
                        : value.get<int64_t>();
  if (x < low || x > high) {
    bad(std::string("'") + name + "' must be in [" + std::to_string(low) + ", " +
        std::to_string(high) + "]");
  }
  return static_cast<int>(x);
}

uint64_t sequence_number(const json& message) {
  const auto it = message.find("seq");
  if (it == message.end()) bad("'seq' is missing");
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0)) {
    bad("'seq' must be a non-negative integer");
  }
  const uint64_t seq = it->get<uint64_t>();
  if (seq > (uint64_t{1} << 53)) bad("'seq' must be at most 2^53");
  return seq;
}

void only_fields(const json& message, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : message.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known)
      bad("unknown field '" + key.substr(0, 40) + "' for type '" +
          message["type"].get<std::string>() + "'");
  }
}

void parse_controls(const json& message, ClientMessage& out) {
  only_fields(message,
              {"type", "seq", "conditioning", "density", "histogram", "temperature", "model"});
  out.seq = sequence_number(message);
  if (auto it = message.find("conditioning"); it != message.end()) {
    if (!it->is_boolean()) bad("'conditioning' must be true or false");
    out.conditioning = it->get<bool>();
  }
  if (auto it = message.find("density"); it != message.end()) {
    out.density = number_in(*it, "density", 0, kMaxStudioDensity);
  }
  if (auto it = message.find("temperature"); it != message.end()) {
    out.temperature = number_in(*it, "temperature", kMinStudioTemperature, kMaxStudioTemperature);
  }
  if (auto it = message.find("histogram"); it != message.end()) {
    if (!it->is_array() || it->size() != 12) bad("'histogram' must be an array of 12 numbers");
    std::array<double, 12> histogram{};
    for (size_t i = 0; i < 12; ++i) histogram[i] = number_in((*it)[i], "histogram", 0, 1e6);
    out.histogram = histogram;
  }
  if (auto it = message.find("model"); it != message.end()) {
    if (!it->is_string()) bad("'model' must be a string");
    const std::string& name = it->get_ref<const std::string&>();
    if (name.empty() || name.size() > kMaxModelNameBytes) bad("'model' must be 1-200 bytes");
    out.model = name;
  }
}

void parse_prime(const json& message, ClientMessage& out) {
  only_fields(message, {"type", "seq", "notes"});
  out.seq = sequence_number(message);
  const auto it = message.find("notes");
  if (it == message.end() || !it->is_array()) bad("'notes' must be an array");
  if (it->empty() || it->size() > kMaxPrimerNotes) {
    bad("'notes' must hold 1-" + std::to_string(kMaxPrimerNotes) + " notes");
  }
  for (const json& note : *it) {
    if (!note.is_array() || note.size() != 4) {
      bad("each note must be [start, end, pitch, velocity]");
    }
    PrimerNote n;
    n.start = number_in(note[0], "note start", 0, 60);
    n.end = number_in(note[1], "note end", 0, 60);
    if (n.end < n.start) bad("a note ends before it starts");
    n.pitch = integer_in(note[2], "note pitch", 0, 127);
    n.velocity = integer_in(note[3], "note velocity", 1, 127);
    out.notes.push_back(n);
  }
}

}  // namespace

ClientMessage parse_client_message(std::string_view text) {
  if (text.size() > kMaxControlMessageBytes) {
    bad("longer than " + std::to_string(kMaxControlMessageBytes) + " bytes");
  }
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) bad("not valid JSON");
  if (!message.is_object()) bad("not a JSON object");
  const auto type = message.find("type");
  if (type == message.end() || !type->is_string()) bad("'type' must be a string");
  const std::string& name = type->get_ref<const std::string&>();
  ClientMessage out;
  if (name == "played") {
    only_fields(message, {"type", "t"});
    const auto t = message.find("t");
    if (t == message.end()) bad("'t' is missing");
    out.type = ClientMessage::Type::kPlayed;
    out.played = number_in(*t, "t", 0, kMaxStudioTime);
  } else if (name == "controls") {
    out.type = ClientMessage::Type::kControls;
    parse_controls(message, out);
  } else if (name == "reset") {
    only_fields(message, {"type", "seq"});
    out.type = ClientMessage::Type::kReset;
    out.seq = sequence_number(message);
  } else if (name == "prime") {
    out.type = ClientMessage::Type::kPrime;
    parse_prime(message, out);
  } else {
    bad("unknown type '" + name.substr(0, 40) + "' (played, controls, reset, prime)");
  }
  return out;
}

}  // namespace prnn
