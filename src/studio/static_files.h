// Which file of the web folder answers an HTTP request target, and as what content type.
// Only plain paths are served: the target (query string dropped) must start with '/',
// hold no '..', '\', '%', NUL or control byte, no segment starting with '.', and name a
// regular file with a known extension under `root` (after resolving symbolic links, still
// under `root`); "/" means "/index.html". Anything else is not found (no listing).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace prnn {

// The file's path, or nullopt when the target is not servable.
std::optional<std::string> resolve_static_file(const std::string& root, std::string_view target);

// The Content-Type for a file name; empty for an extension the server does not serve.
std::string_view content_type_for(std::string_view path);

// Where the page is: $PRNN_WEB_DIR if set; else the first folder holding index.html of
// <executable dir>/../share/performance_rnn/web, <source tree>/web. InputError otherwise.
std::string default_web_dir();

}  // namespace prnn
