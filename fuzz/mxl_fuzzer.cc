// libFuzzer target: the .mxl (zip) container reader and the MusicXML reader behind it must
// turn any bytes into a NoteSequence or an InputError; an entry claiming a huge size must not
// allocate it. Seeds: fuzz/corpus/mxl_fuzzer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "music/musicxml_reader.h"
#include "music/mxl_container.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const std::string score = prnn::mxl_root_document(bytes, "fuzz.mxl");
    prnn::musicxml_bytes_to_note_sequence(score, "fuzz.mxl");
  } catch (const prnn::InputError&) {
  }
  return 0;
}
