#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "base/crc32c.h"
#include "base/file.h"
#include "base/flags.h"
#include "base/tfrecord.h"

namespace prnn {
namespace {

TEST(Crc32c, KnownVectorsFromRfc3720) {
  // RFC 3720 B.4: 32 bytes of zeros and 32 bytes of 0xff.
  std::string zeros(32, '\0'), ones(32, '\xff');
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
}

TEST(Crc32c, HardwareMatchesPortableOnOddLengths) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (size_t n : {0, 1, 7, 8, 9, 63, 1000}) {
    EXPECT_EQ(crc32c(data.data(), n), crc32c_extend_portable(0, data.data(), n)) << n;
  }
  EXPECT_EQ(crc32c_extend(crc32c(data.data(), 10), data.data() + 10, 90), crc32c(data.data(), 100));
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("prnn_test_" + name)).string();
}

TEST(TFRecord, RoundTripAndTensorFlowFraming) {
  std::string path = temp_path("roundtrip.tfrecord");
  {
    TFRecordWriter writer(path);
    writer.write("hello");
    writer.write("");
    writer.write(std::string(100000, 'x'));
    writer.close();
  }
  std::string bytes = read_file(path);
  // Empty record framing as TensorFlow writes it: length 0, crc of 8 zero bytes, crc of "".
  EXPECT_EQ(bytes.size(), 3 * 16 + 5 + 100000u);
  TFRecordReader reader(path);
  EXPECT_EQ(*reader.next(), "hello");
  EXPECT_EQ(*reader.next(), "");
  EXPECT_EQ(reader.next()->size(), 100000u);
  EXPECT_FALSE(reader.next().has_value());
  std::remove(path.c_str());
}

TEST(TFRecord, CorruptionIsReportedWithFileAndOffset) {
  std::string path = temp_path("corrupt.tfrecord");
  std::string good = frame_tfrecord("first") + frame_tfrecord("second");
  std::string bad_data = good;
  bad_data[21 + 12] ^= 1;  // a byte of "second"'s data (second record starts at 21)
  write_file_atomic(path, bad_data);
  {
    TFRecordReader reader(path);
    EXPECT_EQ(*reader.next(), "first");
    try {
      reader.next();
      FAIL();
    } catch (const RecordError& e) {
      EXPECT_TRUE(e.recoverable());
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("offset 21"), std::string::npos);
    }
    EXPECT_FALSE(reader.next().has_value());
  }
  // An absurd length (claims 2^60 bytes) must not allocate: it is a framing error.
  std::string absurd = frame_tfrecord("x");
  absurd[7] = 0x10;
  write_file_atomic(path, absurd);
  {
    TFRecordReader reader(path);
    EXPECT_THROW(reader.next(), RecordError);
  }
  write_file_atomic(path, good.substr(0, good.size() - 3));
  {
    TFRecordReader reader(path);
    EXPECT_EQ(*reader.next(), "first");
    try {
      reader.next();
      FAIL();
    } catch (const RecordError& e) {
      EXPECT_FALSE(e.recoverable());
      EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
    }
  }
  std::remove(path.c_str());
}

TEST(AtomicFileWriter, UncommittedWriteLeavesOldContent) {
  std::string path = temp_path("atomic.txt");
  write_file_atomic(path, "old");
  {
    AtomicFileWriter writer(path);
    writer.write("new content");
  }
  EXPECT_EQ(read_file(path), "old");
  std::remove(path.c_str());
}

TEST(Flags, MagentaSyntax) {
  std::string s = "a";
  int64_t n = 1;
  double d = 0.5;
  bool b = true, c = false;
  FlagSet flags("prog", "test");
  flags.add("s", &s, "");
  flags.add("n", &n, "");
  flags.add("d", &d, "");
  flags.add("b", &b, "");
  flags.add("c", &c, "");
  const char* argv[] = {"prog", "--s=x y", "--n", "42", "-d=2.5", "--nob", "--c", "pos"};
  ASSERT_TRUE(flags.parse(8, const_cast<char**>(argv)));
  EXPECT_EQ(s, "x y");
  EXPECT_EQ(n, 42);
  EXPECT_EQ(d, 2.5);
  EXPECT_FALSE(b);
  EXPECT_TRUE(c);
  EXPECT_EQ(flags.positional(), std::vector<std::string>{"pos"});
  EXPECT_TRUE(flags.was_set("n"));
}

TEST(Flags, UnknownFlagsAndBadValuesAreNamed) {
  int64_t n = 1;
  FlagSet flags("prog", "test");
  flags.add("n", &n, "");
  const char* unknown[] = {"prog", "--bogus=1", "--other"};
  try {
    flags.parse(3, const_cast<char**>(unknown));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--bogus, --other"), std::string::npos);
  }
  FlagSet flags2("prog", "test");
  flags2.add("n", &n, "");
  const char* bad[] = {"prog", "--n=abc"};
  EXPECT_THROW(flags2.parse(2, const_cast<char**>(bad)), UsageError);
}

}  // namespace
}  // namespace prnn
