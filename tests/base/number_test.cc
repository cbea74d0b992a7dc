#include "base/number.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace prnn {
namespace {

TEST(Number, WholeNumbersAreCheckedCompletely) {
  EXPECT_EQ(parse_int64("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(parse_int64("9223372036854775808"), std::nullopt);  // overflow
  EXPECT_EQ(parse_int("2147483648"), std::nullopt);
  EXPECT_EQ(parse_int("12a"), std::nullopt);
  EXPECT_EQ(parse_int(" 12"), std::nullopt);
  EXPECT_EQ(parse_int(""), std::nullopt);
  EXPECT_EQ(parse_int("0042"), 42);
  EXPECT_EQ(parse_int_list("512, 512,512"), (std::vector<int>{512, 512, 512}));
  EXPECT_EQ(parse_int_list("512,,512"), std::nullopt);
}

TEST(Number, ShortestDecimalIsShortAndReadsBackExactly) {
  EXPECT_EQ(shortest_decimal(0.0005), "0.0005");
  EXPECT_EQ(shortest_decimal(0.001), "0.001");
  EXPECT_EQ(shortest_decimal(3), "3");
  EXPECT_EQ(shortest_decimal(5e-05), "5e-05");
  for (double value : {0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, -2.5e-300}) {
    const std::string text = shortest_decimal(value);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << text;
  }
}

}  // namespace
}  // namespace prnn
