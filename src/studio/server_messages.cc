#include "studio/server_messages.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace prnn {
namespace {

using nlohmann::json;

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_time(std::string& out, double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", seconds);
  out += text;
}

}  // namespace

std::string hello_message(const ModelCatalog& catalog, double lookahead, int max_clients,
                          bool samples) {
  json models = json::array();
  for (const auto& model : catalog.models()) {
    models.push_back({{"name", model->name},
                      {"config", std::string(model->model.config->name)},
                      {"conditioned", model->conditioned()}});
  }
  json unplayable = json::array();
  for (const UnplayableModel& model : catalog.unplayable()) {
    unplayable.push_back(
        {{"name", model.name}, {"config", model.config}, {"reason", model.reason}});
  }
  return dump({{"type", "hello"},
               {"protocol", kStudioProtocolVersion},
               {"lookahead", lookahead},
               {"max_clients", max_clients},
               {"samples", samples},
               {"models", models},
               {"unplayable", unplayable},
               {"auto",
                {{"off", catalog.models()[catalog.auto_model(false)]->name},
                 {"on", catalog.models()[catalog.auto_model(true)]->name}}}});
}

std::string events_message(const StudioEngine::Output& output, const ModelCatalog& catalog) {
  std::string out = R"({"type":"events","seq":)" + std::to_string(output.seq) + R"(,"model":)" +
                    dump(catalog.models()[output.model]->name) + R"(,"until":)";
  append_time(out, output.until);
  out += R"(,"notes":[)";
  for (size_t i = 0; i < output.notes.size(); ++i) {
    const StudioNote& note = output.notes[i];
    out += i ? ",[" : "[";
    append_time(out, note.time);
    out += "," + std::to_string(note.pitch) + "," + std::to_string(note.velocity) + "]";
  }
  out += "]}";
  return out;
}

std::string error_message(const std::string& text) {
  return dump({{"type", "error"}, {"message", text}});
}

}  // namespace prnn
