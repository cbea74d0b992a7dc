#include "studio/static_files.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <utility>
#include <vector>

#include "base/error.h"

namespace prnn {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".mp3", "audio/mpeg"},
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
}};

std::string executable_dir() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? "" : path.parent_path().string();
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return type;
  }
  return {};
}

std::optional<std::string> resolve_static_file(const std::string& root, std::string_view target) {
  if (const size_t query = target.find('?'); query != std::string_view::npos) {
    target = target.substr(0, query);
  }
  if (target.empty() || target[0] != '/' || target.size() > 512) return std::nullopt;
  for (char ch : target) {
    if (ch == '\\' || ch == '%' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      return std::nullopt;
    }
  }
  if (target.find("..") != std::string_view::npos || target.find("/.") != std::string_view::npos ||
      target.find("//") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string relative(target == "/" ? "/index.html" : target);
  if (content_type_for(relative).empty()) return std::nullopt;
  std::error_code error;
  const std::filesystem::path base = std::filesystem::canonical(root, error);
  if (error) return std::nullopt;
  const std::filesystem::path file = std::filesystem::canonical(base.string() + relative, error);
  if (error || !std::filesystem::is_regular_file(file, error)) return std::nullopt;
  const std::string prefix = base.string() + "/";
  if (file.string().compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return file.string();
}

std::string default_web_dir() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("PRNN_WEB_DIR"); env && *env) candidates.push_back(env);
  if (std::string dir = executable_dir(); !dir.empty()) {
    candidates.push_back(dir + "/../share/performance_rnn/web");
  }
  candidates.push_back(std::string(PRNN_SOURCE_DIR) + "/web");
  std::string tried;
  for (const std::string& candidate : candidates) {
    if (std::filesystem::exists(candidate + "/index.html")) return candidate;
    tried += "\n  " + candidate;
  }
  throw InputError("the studio page (index.html) is not installed; looked in:" + tried);
}

}  // namespace prnn
