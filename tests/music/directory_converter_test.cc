// SHA-1 against the FIPS 180 examples, Magenta's id format, and failure grouping.
#include "music/directory_converter.h"

#include <gtest/gtest.h>

#include "base/sha1.h"

namespace prnn {
namespace {

TEST(Sha1, Fips180Examples) {
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST(NoteSequenceId, MagentaFormat) {
  EXPECT_EQ(note_sequence_id("abc", "col", MusicFileType::kMidi),
            "/id/midi/col/a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(note_sequence_id("abc", "c", MusicFileType::kMusicXml).substr(0, 15),
            "/id/musicxml/c/");
}

TEST(FailureReason, LastClauseWithNumbersFolded) {
  EXPECT_EQ(failure_reason(MusicFileType::kMidi,
                           "a/b.mid: MIDI track 3 at byte offset 1200: event claims 40 data bytes"),
            "midi: event claims N data bytes");
  EXPECT_EQ(failure_reason(MusicFileType::kAbc, "plain"), "abc: plain");
}

}  // namespace
}  // namespace prnn
