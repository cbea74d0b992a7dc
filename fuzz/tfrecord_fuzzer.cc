// libFuzzer target: the TFRecord reader, with NoteSequence parsing of each record, must
// deliver records or RecordErrors naming the offset — never a crash, a hang, a silent
// skip or an allocation beyond the file size.
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/tfrecord.h"
#include "proto/music.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/prnn_tfrecord_fuzz_" + std::to_string(::getpid());
  // A plain write: the atomic writer's fsync would dominate every run.
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0) std::abort();
  prnn::TFRecordReader reader(path);
  uint64_t consumed = 0;
  while (true) {
    try {
      auto record = reader.next();
      if (!record) break;
      consumed += record->size();
      magenta::NoteSequence sequence;
      (void)sequence.ParseFromString(*record);
    } catch (const prnn::RecordError& e) {
      if (!e.recoverable()) break;
    }
    if (reader.offset() > size) std::abort();  // moved past the end of the file
  }
  if (consumed > size) std::abort();
  return 0;
}
