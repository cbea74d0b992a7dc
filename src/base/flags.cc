#include "base/flags.h"

#include <cstdio>
#include <sstream>

#include "base/error.h"

namespace prnn {
namespace {

std::string format_double(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

template <typename T>
T parse_number(const std::string& flag, const std::string& text) {
  try {
    size_t used = 0;
    T value;
    if constexpr (std::is_same_v<T, double>) {
      value = std::stod(text, &used);
    } else {
      value = static_cast<T>(std::stoll(text, &used));
    }
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw UsageError("--" + flag + ": '" + text + "' is not a valid number");
}

}  // namespace

FlagSet::FlagSet(std::string program, std::string description)
    : program_(std::move(program)), description_(std::move(description)) {}

void FlagSet::add(const std::string& name, std::string* value, const std::string& help) {
  flags_.push_back({name, help, "\"" + *value + "\"", false,
                    [value](const std::string& text) { *value = text; }});
}

void FlagSet::add(const std::string& name, int64_t* value, const std::string& help) {
  flags_.push_back({name, help, std::to_string(*value), false, [name, value](const std::string& t) {
                      *value = parse_number<int64_t>(name, t);
                    }});
}

void FlagSet::add(const std::string& name, int* value, const std::string& help) {
  flags_.push_back({name, help, std::to_string(*value), false,
                    [name, value](const std::string& t) { *value = parse_number<int>(name, t); }});
}

void FlagSet::add(const std::string& name, double* value, const std::string& help) {
  flags_.push_back({name, help, format_double(*value), false, [name, value](const std::string& t) {
                      *value = parse_number<double>(name, t);
                    }});
}

void FlagSet::add(const std::string& name, bool* value, const std::string& help) {
  flags_.push_back(
      {name, help, *value ? "true" : "false", true, [name, value](const std::string& t) {
         if (t == "true" || t == "1" || t == "True") {
           *value = true;
         } else if (t == "false" || t == "0" || t == "False") {
           *value = false;
         } else {
           throw UsageError("--" + name + ": '" + t + "' is not true or false");
         }
       }});
}

FlagSet::Flag* FlagSet::find(const std::string& name) {
  for (auto& flag : flags_) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

bool FlagSet::parse(int argc, char** argv) {
  std::vector<std::string> unknown;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positional_.push_back(argv[i]);
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    if (body == "help" || body == "helpfull" || body == "h") {
      std::fputs(help_text().c_str(), stdout);
      return false;
    }
    auto eq = body.find('=');
    std::string name = body.substr(0, eq);
    Flag* flag = find(name);
    if (!flag && eq == std::string::npos && name.rfind("no", 0) == 0) {
      Flag* negated = find(name.substr(2));
      if (negated && negated->is_bool) {
        negated->assign("false");
        set_.insert(negated->name);
        continue;
      }
    }
    if (!flag) {
      unknown.push_back("--" + name);
      continue;
    }
    if (eq != std::string::npos) {
      flag->assign(body.substr(eq + 1));
    } else if (flag->is_bool) {
      flag->assign("true");
    } else if (i + 1 < argc) {
      flag->assign(argv[++i]);
    } else {
      throw UsageError("--" + name + " needs a value");
    }
    set_.insert(name);
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& n : unknown) names += (names.empty() ? "" : ", ") + n;
    throw UsageError("unknown flag" + std::string(unknown.size() > 1 ? "s" : "") + ": " + names +
                     " (see " + program_ + " --help)");
  }
  return true;
}

std::string FlagSet::help_text() const {
  std::string text = program_ + ": " + description_ + "\n\nFlags:\n";
  for (const auto& flag : flags_) {
    text += "  --" + flag.name + " (default: " + flag.default_text + ")\n      " + flag.help + "\n";
  }
  return text;
}

}  // namespace prnn
