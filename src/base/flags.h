// Command-line flags with the syntax of Magenta's (absl) commands:
//   --name=value   --name value   --bool_flag   --nobool_flag   --bool_flag=false   --help
// Each flag is bound to a variable whose current value is the default shown by --help.
// parse() throws UsageError naming any unknown flag or bad value. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace prnn {

class FlagSet {
 public:
  FlagSet(std::string program, std::string description);

  void add(const std::string& name, std::string* value, const std::string& help);
  void add(const std::string& name, int64_t* value, const std::string& help);
  void add(const std::string& name, int* value, const std::string& help);
  void add(const std::string& name, double* value, const std::string& help);
  void add(const std::string& name, bool* value, const std::string& help);

  // Parses argv[1..argc). Returns false when --help was given (help already printed to
  // stdout), true otherwise. Non-flag arguments are collected in positional().
  bool parse(int argc, char** argv);
  const std::vector<std::string>& positional() const { return positional_; }
  bool was_set(const std::string& name) const { return set_.count(name) > 0; }
  std::string help_text() const;

 private:
  struct Flag {
    std::string name;
    std::string help;
    std::string default_text;
    bool is_bool = false;
    std::function<void(const std::string&)> assign;  // throws UsageError on a bad value
  };
  Flag* find(const std::string& name);

  std::string program_;
  std::string description_;
  std::vector<Flag> flags_;
  std::vector<std::string> positional_;
  std::set<std::string> set_;
};

}  // namespace prnn
