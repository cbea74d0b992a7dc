// libFuzzer target: the MusicXML reader must turn any text into a NoteSequence or an
// InputError, with and without repeat unrolling, never a crash, a hang or an allocation
// beyond what the input justifies. Seeds: fuzz/corpus/musicxml_fuzzer, dictionary
// fuzz/musicxml.dict.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "music/musicxml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const bool unroll_repeats : {false, true}) {
    try {
      prnn::musicxml_bytes_to_note_sequence(bytes, "fuzz.xml", {unroll_repeats});
    } catch (const prnn::InputError&) {
    }
  }
  return 0;
}
