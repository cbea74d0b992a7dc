#include "generate/literal_list.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "base/error.h"

namespace prnn {
namespace {

class Parser {
 public:
  Parser(const std::string& flag, const std::string& text) : flag_(flag), text_(text) {}

  LiteralValue parse() {
    LiteralValue value = item(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected '" + text_.substr(pos_, 1) + "'");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw UsageError("--" + flag_ + "=" + text_ + ": " + what + " at character " +
                     std::to_string(pos_ + 1));
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  LiteralValue item(int depth) {
    if (depth > 8) fail("lists nested too deeply");
    skip_space();
    if (pos_ >= text_.size()) fail("a value is missing");
    const char c = text_[pos_];
    LiteralValue value;
    if (c == '[' || c == '(') {
      const char close = c == '[' ? ']' : ')';
      value.kind = LiteralValue::Kind::kList;
      ++pos_;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == close) {
        ++pos_;
        return value;
      }
      while (true) {
        value.items.push_back(item(depth + 1));
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          skip_space();
          if (pos_ < text_.size() && text_[pos_] == close) break;  // trailing comma
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == close) break;
        fail("expected ',' or '" + std::string(1, close) + "'");
      }
      ++pos_;
      return value;
    }
    if (c == '\'' || c == '"') {
      size_t end = text_.find(c, pos_ + 1);
      if (end == std::string::npos) fail("unterminated string");
      value.kind = LiteralValue::Kind::kName;
      value.name = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return value;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                     text_[pos_] == '_' || text_[pos_] == '#')) {
        ++pos_;
      }
      value.kind = LiteralValue::Kind::kName;
      value.name = text_.substr(start, pos_ - start);
      return value;
    }
    const char* begin = text_.c_str() + pos_;
    char* end = nullptr;
    value.number = std::strtod(begin, &end);
    if (end == begin || !std::isfinite(value.number)) fail("not a number");
    pos_ += end - begin;
    return value;
  }

  const std::string& flag_;
  const std::string& text_;
  size_t pos_ = 0;
};

}  // namespace

LiteralValue parse_literal(const std::string& flag, const std::string& text) {
  return Parser(flag, text).parse();
}

std::vector<int> parse_int_list(const std::string& flag, const std::string& text, int min,
                                int max) {
  LiteralValue value = parse_literal(flag, text);
  std::vector<LiteralValue> items =
      value.kind == LiteralValue::Kind::kList ? value.items : std::vector<LiteralValue>{value};
  std::vector<int> out;
  for (const LiteralValue& item : items) {
    if (item.kind != LiteralValue::Kind::kNumber || item.number != std::floor(item.number)) {
      throw UsageError("--" + flag + "=" + text + ": every value must be an integer");
    }
    if (item.number < min || item.number > max) {
      throw UsageError("--" + flag + "=" + text + ": " +
                       std::to_string(static_cast<long>(item.number)) + " is outside " +
                       std::to_string(min) + "…" + std::to_string(max));
    }
    out.push_back(static_cast<int>(item.number));
  }
  return out;
}

}  // namespace prnn
