// libFuzzer target: the ABC reader must turn any text into tunes plus per-tune errors (or an
// InputError for a duplicate reference number), and expanding each tune's repeats must stay
// bounded. Seeds: fuzz/corpus/abc_fuzzer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "music/abc_reader.h"
#include "music/section_groups.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const prnn::AbcParseResult result = prnn::abc_text_to_note_sequences(text, "fuzz.abc");
    for (const prnn::AbcTune& tune : result.tunes) prnn::expand_section_groups(tune.sequence);
  } catch (const prnn::InputError&) {
  }
  return 0;
}
