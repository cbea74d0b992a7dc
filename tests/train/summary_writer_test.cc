#include "train/summary_writer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "base/tfrecord.h"

namespace prnn {
namespace {

// A minimal protobuf wire-format reader, independent of the generated code, so the test
// checks our files against the published field numbers of tensorflow's event.proto
// (Event: wall_time=1 double, step=2 int64, file_version=3 string, summary=5) and
// summary.proto (Summary: value=1; Value: tag=1 string, simple_value=2 float).
struct WireField {
  int number;
  int wire_type;
  uint64_t varint = 0;
  std::string bytes;  // length-delimited, fixed32 or fixed64 payload
};

uint64_t read_varint(const std::string& data, size_t& pos) {
  uint64_t value = 0;
  for (int shift = 0; pos < data.size(); shift += 7) {
    unsigned char byte = data[pos++];
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return value;
  }
  ADD_FAILURE() << "truncated varint";
  return value;
}

std::vector<WireField> parse_wire(const std::string& data) {
  std::vector<WireField> fields;
  size_t pos = 0;
  while (pos < data.size()) {
    uint64_t key = read_varint(data, pos);
    WireField f{static_cast<int>(key >> 3), static_cast<int>(key & 7)};
    if (f.wire_type == 0) {
      f.varint = read_varint(data, pos);
    } else if (f.wire_type == 1) {
      f.bytes = data.substr(pos, 8);
      pos += 8;
    } else if (f.wire_type == 5) {
      f.bytes = data.substr(pos, 4);
      pos += 4;
    } else if (f.wire_type == 2) {
      uint64_t n = read_varint(data, pos);
      f.bytes = data.substr(pos, n);
      pos += n;
    } else {
      ADD_FAILURE() << "unexpected wire type " << f.wire_type;
      break;
    }
    fields.push_back(f);
  }
  return fields;
}

TEST(SummaryWriter, WritesTensorBoardEventsWithPublishedFieldNumbers) {
  std::string dir = (std::filesystem::temp_directory_path() / "prnn_summary_test").string();
  std::filesystem::remove_all(dir);
  std::string path;
  {
    SummaryWriter writer(dir + "/train");
    path = writer.path();
    writer.add_scalars(10, {{"loss", 2.5f}, {"metrics/perplexity", 12.25f}});
    writer.add_scalars(20, {{"loss", 1.5f}});
  }
  EXPECT_EQ(std::filesystem::path(path).filename().string().rfind("events.out.tfevents.", 0), 0u);
  TFRecordReader reader(path);
  std::vector<std::string> records;
  while (auto record = reader.next()) records.push_back(*record);
  ASSERT_EQ(records.size(), 3u);

  auto first = parse_wire(records[0]);
  std::map<int, WireField> by_number;
  for (auto& f : first) by_number[f.number] = f;
  ASSERT_TRUE(by_number.count(1));
  EXPECT_EQ(by_number[1].wire_type, 1);  // double
  double wall_time;
  std::memcpy(&wall_time, by_number[1].bytes.data(), 8);
  EXPECT_GT(wall_time, 1.6e9);
  ASSERT_TRUE(by_number.count(3));
  EXPECT_EQ(by_number[3].bytes, "brain.Event:2");

  auto second = parse_wire(records[1]);
  int64_t step = -1;
  std::string summary;
  for (auto& f : second) {
    if (f.number == 2 && f.wire_type == 0) step = static_cast<int64_t>(f.varint);
    if (f.number == 5 && f.wire_type == 2) summary = f.bytes;
  }
  EXPECT_EQ(step, 10);
  std::map<std::string, float> scalars;
  for (auto& value : parse_wire(summary)) {
    ASSERT_EQ(value.number, 1);
    std::string tag;
    float simple = 0;
    for (auto& f : parse_wire(value.bytes)) {
      if (f.number == 1 && f.wire_type == 2) tag = f.bytes;
      if (f.number == 2 && f.wire_type == 5) std::memcpy(&simple, f.bytes.data(), 4);
    }
    scalars[tag] = simple;
  }
  EXPECT_EQ(scalars["loss"], 2.5f);
  EXPECT_EQ(scalars["metrics/perplexity"], 12.25f);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace prnn
