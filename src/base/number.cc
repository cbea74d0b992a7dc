#include "base/number.h"

#include <charconv>
#include <limits>

namespace prnn {

std::optional<int64_t> parse_int64(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<int> parse_int(std::string_view text) {
  std::optional<int64_t> value = parse_int64(text);
  if (!value || *value < std::numeric_limits<int>::min() ||
      *value > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

std::optional<std::vector<int>> parse_int_list(std::string_view text) {
  std::vector<int> values;
  while (true) {
    const size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::optional<int> value = parse_int(item);
    if (!value) return std::nullopt;
    values.push_back(*value);
    if (comma == std::string_view::npos) return values;
    text.remove_prefix(comma + 1);
  }
}

std::string shortest_decimal(double value) {
  char text[32];
  // printf's %g with the fewest significant digits that read back exactly (17 always do).
  for (int digits = 1;; ++digits) {
    const auto result =
        std::to_chars(text, text + sizeof text, value, std::chars_format::general, digits);
    double back = 0;
    std::from_chars(text, result.ptr, back);
    if (back == value || digits == 17) return std::string(text, result.ptr);
  }
}

}  // namespace prnn
