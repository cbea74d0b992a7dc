// The JSON text of the messages the studio server sends (doc/formats/studio_protocol.md):
// "hello" on connect, "events" with generated notes, "error" for a rejected message.
// Times are written with two decimals (10 ms steps, exact). Pure functions; thread-safe.
#pragma once

#include <string>

#include "studio/model_catalog.h"
#include "studio/studio_engine.h"

namespace prnn {

inline constexpr int kStudioProtocolVersion = 1;

// `samples`: whether piano samples are served under /samples/.
std::string hello_message(const ModelCatalog& catalog, double lookahead, int max_clients,
                          bool samples);
std::string events_message(const StudioEngine::Output& output, const ModelCatalog& catalog);
std::string error_message(const std::string& text);

}  // namespace prnn
