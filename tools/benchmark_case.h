// Cases of `performance_rnn benchmark CASE [flags]`. Each case lives in its own
// tools/benchmark_*.cc file and registers itself with PRNN_BENCHMARK_CASE(name, function);
// the function gets argv with argv[0] = the case name, prints ONE JSON line on stdout and
// returns the exit status.
#pragma once

#include <string>
#include <vector>

namespace prnn {

struct BenchmarkCase {
  std::string name;
  int (*run)(int argc, char** argv);
};

std::vector<BenchmarkCase>& benchmark_cases();

// --layers of the network benchmarks: "512,512,512" -> {512, 512, 512}; UsageError
// naming the flag otherwise.
std::vector<int> layer_list(const std::string& text);

struct BenchmarkCaseRegistrar {
  BenchmarkCaseRegistrar(const char* name, int (*run)(int, char**)) {
    benchmark_cases().push_back({name, run});
  }
};

}  // namespace prnn

#define PRNN_BENCHMARK_CASE(name, function) \
  static ::prnn::BenchmarkCaseRegistrar prnn_benchmark_case_##function(name, function)
