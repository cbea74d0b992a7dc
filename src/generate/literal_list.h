// Parsing of the Python-literal flag values Magenta's generator takes through
// ast.literal_eval: a number, a name, or a (nested) list of them, e.g.
//   "[60, 64, 67]"   "2.5"   "[[1,0,1,0,1,1,0,1,0,1,0,1], c_major]"   "True"
// Bare words are kept as names (so scale names work without quotes; quoted strings too).
// Throws UsageError naming the flag and the offending text. Plain values.
#pragma once

#include <string>
#include <vector>

namespace prnn {

struct LiteralValue {
  enum class Kind { kNumber, kName, kList } kind = Kind::kNumber;
  double number = 0;
  std::string name;
  std::vector<LiteralValue> items;
};

LiteralValue parse_literal(const std::string& flag, const std::string& text);

// A flat list of integers (a single integer is a one-element list); each must lie in
// [min, max].
std::vector<int> parse_int_list(const std::string& flag, const std::string& text, int min, int max);

}  // namespace prnn
