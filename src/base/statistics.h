// Pipeline statistics with Magenta's names and printing: counters ("name: n") and
// histograms ("name:" then "  [lower,upper): n" for each non-empty bucket, the first
// bucket starting at -inf), listed sorted by name.
//
// A Statistics object is a plain value: not thread-safe; give each worker its own and
// merge() them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace prnn {

class Statistics {
 public:
  void increment(const std::string& name, int64_t amount = 1);
  // Declares a histogram (idempotent); bucket lower bounds, ascending.
  void add_histogram(const std::string& name, std::vector<double> buckets);
  // Counts `value` `count` times in the bucket of the largest lower bound <= value.
  void record(const std::string& name, double value, int64_t count = 1);
  void merge(const Statistics& other);

  int64_t counter(const std::string& name) const;
  // The count of the histogram bucket whose lower bound is `lower` (-inf for the first).
  int64_t bucket(const std::string& name, double lower) const;
  // All statistics, one per line (histograms span several), sorted by name.
  std::string report() const;

 private:
  struct Histogram {
    std::vector<double> lowers;  // -inf first
    std::vector<int64_t> counts;
  };
  std::map<std::string, int64_t> counters_;
  std::map<std::string, Histogram> histograms_;
};

}  // namespace prnn
