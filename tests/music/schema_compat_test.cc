// Wire compatibility of our proto/music.proto with note_seq's original music.proto
// (tests/fixtures/upstream_proto/music.proto), checked with protoc itself:
//   * a NoteSequence touching every message and field, encoded by protoc with the
//     original schema, parses with ours to the stated values;
//   * what we serialize decodes with the original schema to the same text;
//   * unknown fields (top level and nested) survive a parse/serialize round trip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/file.h"
#include "music/midi_reader.h"
#include "proto/music.pb.h"
#include "../shared_data.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

int unknown_count(const google::protobuf::Message& message) {
  return message.GetReflection()->GetUnknownFields(message).field_count();
}

// Every message and field of music.proto, in the original's text format.
constexpr const char* kEveryField = R"pb(
  id: "/id/midi/col/abc"
  filename: "a/b.mid"
  reference_number: 7
  collection_name: "col"
  ticks_per_quarter: 480
  time_signatures { time: 0.5 numerator: 6 denominator: 8 }
  key_signatures { time: 1.5 key: E_FLAT mode: DORIAN }
  tempos { time: 2.5 qpm: 96.5 }
  notes {
    pitch: 61
    pitch_name: C_SHARP
    velocity: 99
    start_time: 0.25
    end_time: 1.75
    numerator: 1
    denominator: 4
    instrument: 3
    program: 41
    is_drum: true
    part: 2
    voice: 1
    quantized_start_step: 5
    quantized_end_step: 35
  }
  total_time: 9.75
  total_quantized_steps: 195
  pitch_bends { time: 1 bend: -300 instrument: 3 program: 41 is_drum: true }
  control_changes {
    time: 2
    quantized_step: 40
    control_number: 64
    control_value: 127
    instrument: 3
    program: 41
    is_drum: true
  }
  part_infos { part: 2 name: "Violin" }
  source_info { source_type: PERFORMANCE_BASED encoding_type: MIDI parser: PRETTY_MIDI }
  text_annotations { time: 3 quantized_step: 60 text: "Cmaj7" annotation_type: CHORD_SYMBOL }
  section_annotations { time: 4 section_id: 1 }
  section_groups {
    sections { section_id: 1 }
    sections {
      section_group {
        sections { section_id: 2 }
        num_times: 2
      }
    }
    num_times: 3
  }
  quantization_info { steps_per_second: 100 }
  subsequence_info { start_time_offset: 0.5 end_time_offset: 1.5 }
  sequence_metadata { title: "T" artist: "A" genre: "g1" genre: "g2" composers: "C" }
  instrument_infos { name: "Piano" instrument: 3 }
)pb";

class SchemaCompat : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("prnn_schema_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs protoc with the original music.proto on `input`; returns its stdout.
  std::string protoc(const std::string& mode, const std::string& input) {
    std::string in = (dir_ / "in").string(), out = (dir_ / "out").string();
    write_file_atomic(in, input);
    std::string command = "protoc " + mode +
                          "=magenta.NoteSequence --proto_path=" + std::string(PRNN_SOURCE_DIR) +
                          "/tests/fixtures/upstream_proto music.proto < " + in + " > " + out;
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return read_file(out);
  }

  fs::path dir_;
};

TEST_F(SchemaCompat, OriginalEncodingParsesWithOurSchema) {
  magenta::NoteSequence sequence;
  ASSERT_TRUE(sequence.ParseFromString(protoc("--encode", kEveryField)));
  EXPECT_EQ(sequence.id(), "/id/midi/col/abc");
  EXPECT_EQ(sequence.reference_number(), 7);
  EXPECT_EQ(sequence.ticks_per_quarter(), 480);
  EXPECT_EQ(sequence.key_signatures(0).key(), magenta::NoteSequence::KeySignature::E_FLAT);
  EXPECT_EQ(sequence.key_signatures(0).mode(), magenta::NoteSequence::KeySignature::DORIAN);
  EXPECT_EQ(sequence.tempos(0).qpm(), 96.5);
  const auto& note = sequence.notes(0);
  EXPECT_EQ(note.pitch(), 61);
  EXPECT_EQ(note.pitch_name(), magenta::NoteSequence::C_SHARP);
  EXPECT_EQ(note.velocity(), 99);
  EXPECT_EQ(note.end_time(), 1.75);
  EXPECT_EQ(note.program(), 41);
  EXPECT_TRUE(note.is_drum());
  EXPECT_EQ(note.part(), 2);
  EXPECT_EQ(note.quantized_end_step(), 35);
  EXPECT_EQ(sequence.total_quantized_steps(), 195);
  EXPECT_EQ(sequence.pitch_bends(0).bend(), -300);
  EXPECT_EQ(sequence.control_changes(0).quantized_step(), 40);
  EXPECT_EQ(sequence.part_infos(0).name(), "Violin");
  EXPECT_EQ(sequence.source_info().source_type(),
            magenta::NoteSequence::SourceInfo::PERFORMANCE_BASED);
  EXPECT_EQ(sequence.source_info().parser(), magenta::NoteSequence::SourceInfo::PRETTY_MIDI);
  EXPECT_EQ(sequence.text_annotations(0).annotation_type(),
            magenta::NoteSequence::TextAnnotation::CHORD_SYMBOL);
  EXPECT_EQ(sequence.section_annotations(0).section_id(), 1);
  EXPECT_EQ(sequence.section_groups(0).sections(1).section_group().sections(0).section_id(), 2);
  EXPECT_EQ(sequence.section_groups(0).num_times(), 3);
  EXPECT_EQ(sequence.quantization_info().steps_per_second(), 100);
  EXPECT_EQ(sequence.subsequence_info().end_time_offset(), 1.5);
  EXPECT_EQ(sequence.sequence_metadata().genre(1), "g2");
  EXPECT_EQ(sequence.instrument_infos(0).name(), "Piano");
  EXPECT_EQ(sequence.instrument_infos(0).instrument(), 3);
  // Nothing was left unknown: every field has its counterpart in our schema.
  EXPECT_EQ(unknown_count(sequence), 0);
  EXPECT_EQ(unknown_count(sequence.notes(0)), 0);
}

TEST_F(SchemaCompat, OurSerializationDecodesWithOriginalSchema) {
  PRNN_REQUIRE_SHARED_DATA();
  const std::string original = protoc("--encode", kEveryField);
  magenta::NoteSequence sequence;
  ASSERT_TRUE(sequence.ParseFromString(original));
  EXPECT_EQ(protoc("--decode", sequence.SerializeAsString()), protoc("--decode", original));

  // A sequence our MIDI reader made.
  auto midi = midi_to_note_sequence(
      read_file(test_data::shared_dir() + "/data/note_seq/example.mid"), "example.mid");
  std::string text = protoc("--decode", midi.SerializeAsString());
  EXPECT_NE(text.find("ticks_per_quarter: 220"), std::string::npos) << text;
  EXPECT_NE(text.find("qpm: 240"), std::string::npos) << text;
  EXPECT_NE(text.find("encoding_type: MIDI"), std::string::npos) << text;
  EXPECT_NE(text.find("parser: PRETTY_MIDI"), std::string::npos) << text;
  EXPECT_NE(text.find("total_time: 1.987"), std::string::npos) << text;
}

TEST_F(SchemaCompat, UnknownFieldsSurviveRoundTrip) {
  // Top level: field 99 (varint 7) and field 100 (bytes "zz"); inside a Note (field 8):
  // pitch 60 and unknown field 50 (varint 1).
  const std::string top_unknown = std::string("\x98\x06\x07", 3) + std::string("\xA2\x06\x02zz", 5);
  const std::string note_body = std::string("\x08\x3C", 2) + std::string("\x90\x03\x01", 3);
  const std::string note = "\x42" + std::string(1, static_cast<char>(note_body.size())) + note_body;
  magenta::NoteSequence sequence;
  ASSERT_TRUE(sequence.ParseFromString(note + top_unknown));
  EXPECT_EQ(sequence.notes(0).pitch(), 60);
  EXPECT_EQ(unknown_count(sequence), 2);
  EXPECT_EQ(unknown_count(sequence.notes(0)), 1);
  sequence.set_total_time(1.0);  // modify, then write back
  std::string written = sequence.SerializeAsString();
  EXPECT_NE(written.find(note), std::string::npos);
  EXPECT_NE(written.find(top_unknown), std::string::npos);
  // The original schema does not know them either, but keeps them too.
  std::string decoded = protoc("--decode", written);
  EXPECT_NE(decoded.find("99: 7"), std::string::npos) << decoded;
  EXPECT_NE(decoded.find("50: 1"), std::string::npos) << decoded;
}

}  // namespace
}  // namespace prnn
