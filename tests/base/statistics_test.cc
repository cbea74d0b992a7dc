// Statistics print as Magenta's pipeline statistics do: "name: count" for counters,
// "name:" then "  [lower,upper): count" for non-empty histogram buckets, sorted by name.
#include "base/statistics.h"

#include <gtest/gtest.h>

namespace prnn {
namespace {

TEST(Statistics, ReportUsesMagentasFormat) {
  Statistics a, b;
  a.increment("b_counter", 2);
  a.add_histogram("a_lengths", {5, 10, 120});
  a.record("a_lengths", 3);
  a.record("a_lengths", 7, 2);
  b.add_histogram("a_lengths", {5, 10, 120});
  b.record("a_lengths", 500);
  b.increment("b_counter");
  b.increment("c_zero", 0);
  a.merge(b);
  EXPECT_EQ(a.report(),
            "a_lengths:\n  [-inf,5): 1\n  [5,10): 2\n  [120,inf): 1\n"
            "b_counter: 3\n"
            "c_zero: 0\n");
  EXPECT_EQ(a.counter("b_counter"), 3);
  EXPECT_EQ(a.bucket("a_lengths", 5), 2);
}

}  // namespace
}  // namespace prnn
