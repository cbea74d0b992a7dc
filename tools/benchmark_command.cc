// `performance_rnn benchmark CASE [flags]`: reproducible speed measurements, one JSON line
// each. The cases are registered by tools/benchmark_*.cc.
#include <string>

#include "base/error.h"
#include "base/number.h"
#include "benchmark_case.h"
#include "cli/command.h"

namespace prnn {

std::vector<BenchmarkCase>& benchmark_cases() {
  static std::vector<BenchmarkCase> cases;
  return cases;
}

std::vector<int> layer_list(const std::string& text) {
  std::optional<std::vector<int>> sizes = parse_int_list(text);
  if (!sizes) throw UsageError("--layers: '" + text + "' is not a comma-separated list of sizes");
  return *sizes;
}

namespace {

int benchmark_body(int argc, char** argv) {
  std::string names;
  for (const BenchmarkCase& c : benchmark_cases()) names += (names.empty() ? "" : ", ") + c.name;
  if (argc < 2) throw UsageError("name a case (" + names + ")");
  for (const BenchmarkCase& c : benchmark_cases()) {
    if (c.name == argv[1]) return c.run(argc - 1, argv + 1);
  }
  throw UsageError("unknown case '" + std::string(argv[1]) + "' (cases: " + names + ")");
}

int benchmark_main(int argc, char** argv) {
  return run_guarded("benchmark", benchmark_body, argc, argv);
}

}  // namespace

PRNN_COMMAND("benchmark", "speed benchmarks printing one JSON line (cases: train, ...)",
             benchmark_main);

}  // namespace prnn
