#include "model/hparams.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "base/error.h"
#include "base/number.h"
#include "base/log.h"

namespace prnn {
namespace {

const char* const kValidNames =
    "batch_size, rnn_layer_sizes, dropout_keep_prob, clip_norm, learning_rate, attn_length, "
    "residual_connections, use_cudnn, warmup_steps, decay, decay_steps, decay_rate, "
    "min_learning_rate";

const char* decay_name(LearningRateDecay decay) {
  switch (decay) {
    case LearningRateDecay::kConstant:
      return "constant";
    case LearningRateDecay::kExponential:
      return "exponential";
    case LearningRateDecay::kCosine:
      return "cosine";
  }
  return "constant";
}

std::string trim(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

[[noreturn]] void bad_value(const std::string& name, const std::string& value,
                            const std::string& expected) {
  throw UsageError("--hparams: bad value '" + value + "' for " + name + ": expected " + expected);
}

int parse_int(const std::string& name, const std::string& value) {
  std::optional<int> result = prnn::parse_int(value);
  if (!result) bad_value(name, value, "an integer");
  return *result;
}

double parse_double(const std::string& name, const std::string& value) {
  std::istringstream stream(value);
  double result = 0;
  stream >> result;
  if (value.empty() || stream.fail() || !stream.eof() || !std::isfinite(result)) {
    bad_value(name, value, "a number");
  }
  return result;
}

bool parse_bool(const std::string& name, const std::string& value) {
  if (value == "true" || value == "True" || value == "1") return true;
  if (value == "false" || value == "False" || value == "0") return false;
  bad_value(name, value, "true or false");
}

std::vector<int> parse_int_list(const std::string& name, const std::string& value) {
  if (value.size() < 2 || value.front() != '[' || value.back() != ']') {
    bad_value(name, value, "a list like [512,512,512]");
  }
  std::optional<std::vector<int>> result =
      prnn::parse_int_list(trim(value.substr(1, value.size() - 2)));
  if (!result) bad_value(name, value, "a list like [512,512,512] of integers");
  return *result;
}

// Splits on commas outside brackets.
std::vector<std::string> split_entries(const std::string& text) {
  std::vector<std::string> entries;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      entries.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  entries.push_back(current);
  return entries;
}

void check_ranges(const HParams& h) {
  if (h.batch_size <= 0) throw UsageError("--hparams: batch_size must be positive");
  if (h.rnn_layer_sizes.empty()) throw UsageError("--hparams: rnn_layer_sizes must not be empty");
  for (int size : h.rnn_layer_sizes) {
    if (size <= 0 || size > 8192) {
      throw UsageError("--hparams: every rnn_layer_sizes entry must be in 1..8192, got " +
                       std::to_string(size));
    }
  }
  if (!(h.dropout_keep_prob > 0 && h.dropout_keep_prob <= 1)) {
    throw UsageError("--hparams: dropout_keep_prob must be in (0, 1]");
  }
  if (!(h.clip_norm > 0)) throw UsageError("--hparams: clip_norm must be positive");
  if (!(h.learning_rate > 0)) throw UsageError("--hparams: learning_rate must be positive");
  if (h.warmup_steps < 0) throw UsageError("--hparams: warmup_steps must be >= 0");
  if (h.decay_steps <= 0) throw UsageError("--hparams: decay_steps must be positive");
  if (!(h.decay_rate > 0 && h.decay_rate <= 1)) {
    throw UsageError("--hparams: decay_rate must be in (0, 1]");
  }
  if (!(h.min_learning_rate >= 0 && h.min_learning_rate <= h.learning_rate)) {
    throw UsageError("--hparams: min_learning_rate must be in [0, learning_rate]");
  }
  if (h.attn_length != 0) {
    throw UsageError("--hparams: attn_length > 0 (attention) is not supported by this engine");
  }
  if (h.residual_connections) {
    throw UsageError("--hparams: residual_connections=true is not supported by this engine");
  }
}

}  // namespace

HParams default_hparams() { return HParams{}; }

void apply_hparams(const std::string& overrides, HParams& hparams) {
  if (trim(overrides).empty()) return;
  HParams result = hparams;
  for (const std::string& raw : split_entries(overrides)) {
    std::string entry = trim(raw);
    if (entry.empty()) continue;
    size_t equals = entry.find('=');
    if (equals == std::string::npos) {
      throw UsageError("--hparams: entry '" + entry + "' is not of the form name=value");
    }
    std::string name = trim(entry.substr(0, equals));
    std::string value = trim(entry.substr(equals + 1));
    if (name == "batch_size") {
      result.batch_size = parse_int(name, value);
    } else if (name == "rnn_layer_sizes") {
      result.rnn_layer_sizes = parse_int_list(name, value);
    } else if (name == "dropout_keep_prob") {
      result.dropout_keep_prob = parse_double(name, value);
    } else if (name == "clip_norm") {
      result.clip_norm = parse_double(name, value);
    } else if (name == "learning_rate") {
      result.learning_rate = parse_double(name, value);
    } else if (name == "warmup_steps") {
      result.warmup_steps = parse_int(name, value);
    } else if (name == "decay") {
      if (value == "constant") {
        result.decay = LearningRateDecay::kConstant;
      } else if (value == "exponential") {
        result.decay = LearningRateDecay::kExponential;
      } else if (value == "cosine") {
        result.decay = LearningRateDecay::kCosine;
      } else {
        bad_value(name, value, "constant, exponential or cosine");
      }
    } else if (name == "decay_steps") {
      result.decay_steps = parse_int(name, value);
    } else if (name == "decay_rate") {
      result.decay_rate = parse_double(name, value);
    } else if (name == "min_learning_rate") {
      result.min_learning_rate = parse_double(name, value);
    } else if (name == "attn_length") {
      result.attn_length = parse_int(name, value);
    } else if (name == "residual_connections") {
      result.residual_connections = parse_bool(name, value);
    } else if (name == "use_cudnn") {
      result.use_cudnn = parse_bool(name, value);
      if (result.use_cudnn) log_warn("--hparams: use_cudnn has no effect (CPU engine)");
    } else {
      throw UsageError("--hparams: unknown hyperparameter '" + name +
                       "'; valid names: " + kValidNames);
    }
  }
  check_ranges(result);
  hparams = result;
}

std::string hparams_to_string(const HParams& h) {
  std::ostringstream out;
  out << "batch_size=" << h.batch_size << ",rnn_layer_sizes=[";
  for (size_t i = 0; i < h.rnn_layer_sizes.size(); ++i) {
    out << (i ? "," : "") << h.rnn_layer_sizes[i];
  }
  out << "],dropout_keep_prob=" << shortest_decimal(h.dropout_keep_prob)
      << ",clip_norm=" << shortest_decimal(h.clip_norm)
      << ",learning_rate=" << shortest_decimal(h.learning_rate) << ",attn_length=" << h.attn_length
      << ",residual_connections=" << (h.residual_connections ? "true" : "false")
      << ",use_cudnn=" << (h.use_cudnn ? "true" : "false");
  const HParams defaults;
  if (h.warmup_steps != defaults.warmup_steps) out << ",warmup_steps=" << h.warmup_steps;
  if (h.decay != defaults.decay) out << ",decay=" << decay_name(h.decay);
  if (h.decay_steps != defaults.decay_steps) out << ",decay_steps=" << h.decay_steps;
  if (h.decay_rate != defaults.decay_rate) out << ",decay_rate=" << shortest_decimal(h.decay_rate);
  if (h.min_learning_rate != defaults.min_learning_rate) {
    out << ",min_learning_rate=" << shortest_decimal(h.min_learning_rate);
  }
  return out.str();
}

}  // namespace prnn
