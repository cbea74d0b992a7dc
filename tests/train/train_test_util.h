// Helpers of the end-to-end training tests: running a command and writing example files.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <random>
#include <string>

#include "base/tfrecord.h"
#include "proto/tf_example.pb.h"

namespace prnn::testing {

struct CommandResult {
  int status;  // exit status, -1 when killed by a signal
  std::string output;
};

// Runs `command` through the shell; output is its stdout (append 2>&1 for stderr too).
inline CommandResult run_shell(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// `count` random performance_with_dynamics examples (388 classes), 10–39 steps each, in
// the compact layout (one index per step) or Magenta's one-hot layout. Each label is a
// fixed function of the current event, so the sequences are learnable.
inline void write_examples(const std::string& path, bool one_hot, int count) {
  std::mt19937 rng(5);
  TFRecordWriter writer(path);
  for (int i = 0; i < count; ++i) {
    int steps = 10 + static_cast<int>(rng() % 30);
    tensorflow::SequenceExample example;
    auto& lists = *example.mutable_feature_lists()->mutable_feature_list();
    int event = static_cast<int>(rng() % 388);
    for (int t = 0; t < steps; ++t) {
      auto* values = lists["inputs"].add_feature()->mutable_float_list();
      if (one_hot) {
        for (int c = 0; c < 388; ++c) values->add_value(c == event ? 1.0f : 0.0f);
      } else {
        values->add_value(static_cast<float>(event));
      }
      event = (event * 7 + 11) % 388;  // a learnable sequence
      lists["labels"].add_feature()->mutable_int64_list()->add_value(event);
    }
    writer.write(example.SerializeAsString());
  }
  writer.close();
}

}  // namespace prnn::testing
