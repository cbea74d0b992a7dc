// libFuzzer target: the MIDI reader must turn any input into a NoteSequence or an
// InputError — never a crash, a hang or an allocation beyond what the input justifies —
// and whatever it reads must be writable as MIDI and readable again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/error.h"
#include "music/midi_reader.h"
#include "music/midi_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  magenta::NoteSequence sequence;
  try {
    sequence = prnn::midi_to_note_sequence(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.mid");
  } catch (const prnn::InputError&) {
    return 0;
  }
  std::string written;
  try {
    written = prnn::note_sequence_to_midi(sequence);
  } catch (const prnn::InputError&) {
    return 0;  // e.g. times beyond what a tick map can hold
  }
  // Our own output must read back with every note.
  auto again = prnn::midi_to_note_sequence(written, "rewritten.mid");
  if (again.notes_size() != sequence.notes_size()) std::abort();
  return 0;
}
