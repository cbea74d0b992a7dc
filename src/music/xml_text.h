// Number and text parsing for XML element content, with Python's int()/float() leniency
// about surrounding whitespace and a leading '+'. Return nullopt when the text is not a
// number (the caller turns that into an InputError naming the place). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace prnn {

std::string_view trim_xml_space(std::string_view text);
std::optional<int64_t> parse_xml_int(std::string_view text);
// Finite values only.
std::optional<double> parse_xml_double(std::string_view text);

}  // namespace prnn
