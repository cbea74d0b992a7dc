// The studio's control message parser: every field of the protocol read back, and each
// kind of bad input rejected with an InputError naming what is wrong.
#include "studio/control_message.h"

#include <gtest/gtest.h>

#include "base/error.h"

namespace prnn {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_client_message(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ControlMessage, ReadsEveryType) {
  ClientMessage played = parse_client_message(R"({"type":"played","t":12.5})");
  EXPECT_EQ(played.type, ClientMessage::Type::kPlayed);
  EXPECT_DOUBLE_EQ(played.played, 12.5);

  ClientMessage c = parse_client_message(
      R"({"type":"controls","seq":7,"conditioning":true,"density":8,)"
      R"("histogram":[2,0,1,0,1,1,0,1,0,1,0,1],"temperature":0.9,"model":"auto"})");
  EXPECT_EQ(c.type, ClientMessage::Type::kControls);
  EXPECT_EQ(c.seq, 7u);
  EXPECT_EQ(c.conditioning, true);
  EXPECT_DOUBLE_EQ(*c.density, 8);
  EXPECT_DOUBLE_EQ((*c.histogram)[0], 2);
  EXPECT_DOUBLE_EQ((*c.histogram)[11], 1);
  EXPECT_DOUBLE_EQ(*c.temperature, 0.9);
  EXPECT_EQ(*c.model, "auto");

  ClientMessage only_density = parse_client_message(R"({"type":"controls","seq":8,"density":1})");
  EXPECT_FALSE(only_density.conditioning || only_density.histogram || only_density.temperature ||
               only_density.model);

  ClientMessage reset = parse_client_message(R"({"seq":3,"type":"reset"})");
  EXPECT_EQ(reset.type, ClientMessage::Type::kReset);
  EXPECT_EQ(reset.seq, 3u);

  ClientMessage prime =
      parse_client_message(R"({"type":"prime","seq":4,"notes":[[0,0.5,60,100],[0.5,1,64,90]]})");
  ASSERT_EQ(prime.notes.size(), 2u);
  EXPECT_DOUBLE_EQ(prime.notes[1].start, 0.5);
  EXPECT_EQ(prime.notes[1].pitch, 64);
  EXPECT_EQ(prime.notes[1].velocity, 90);
}

TEST(ControlMessage, RejectsBadInputNamingTheProblem) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "not valid JSON"},
      {"{\"type\":\"played\",\"t\":1", "not valid JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"t":1})", "'type' must be a string"},
      {R"({"type":"dance"})", "unknown type 'dance'"},
      {R"({"type":"played"})", "'t' is missing"},
      {R"({"type":"played","t":-1})", "'t' must be in"},
      {R"({"type":"played","t":"1"})", "'t' must be a number"},
      {R"({"type":"played","t":1,"x":2})", "unknown field 'x'"},
      {R"({"type":"controls","density":3})", "'seq' is missing"},
      {R"({"type":"controls","seq":-1})", "'seq' must be a non-negative integer"},
      {R"({"type":"controls","seq":1.5})", "'seq' must be a non-negative integer"},
      {R"({"type":"controls","seq":1,"density":1e400})", "not valid JSON"},
      {R"({"type":"controls","seq":1,"density":129})", "'density' must be in"},
      {R"({"type":"controls","seq":1,"temperature":0})", "'temperature' must be in"},
      {R"({"type":"controls","seq":1,"conditioning":1})", "'conditioning' must be true or false"},
      {R"({"type":"controls","seq":1,"histogram":[1,2,3]})", "array of 12 numbers"},
      {R"({"type":"controls","seq":1,"histogram":[1,1,1,1,1,1,1,1,1,1,1,-1]})",
       "'histogram' must be in"},
      {R"({"type":"controls","seq":1,"model":""})", "'model' must be 1-200 bytes"},
      {R"({"type":"prime","seq":1,"notes":[]})", "'notes' must hold 1-128 notes"},
      {R"({"type":"prime","seq":1,"notes":[[1,0.5,60,100]]})", "ends before it starts"},
      {R"({"type":"prime","seq":1,"notes":[[0,1,128,100]]})", "'note pitch' must be in"},
      {R"({"type":"prime","seq":1,"notes":[[0,1,60,0]]})", "'note velocity' must be in"},
      {R"({"type":"prime","seq":1,"notes":[[0,1,60]]})", "[start, end, pitch, velocity]"},
      {std::string(R"({"type":"played","t":1,"pad":")") + std::string(5000, 'x') + "\"}",
       "longer than 4096 bytes"},
      {"{\"type\":\"pla\xff\"}", "not valid JSON"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string error = error_of(text);
    EXPECT_NE(error.find(expected), std::string::npos)
        << "input " << text.substr(0, 80) << " gave '" << error << "'";
  }
}

}  // namespace
}  // namespace prnn
