// Standard MIDI File (SMF) → NoteSequence, with the conventions of Magenta's note_seq
// (midi_io.midi_to_note_sequence over pretty_midi over mido). doc/midi.md lists them and
// the few places where we deliberately differ.
//
// Formats 0 and 1 are read; format 2 is read as format 1 (as pretty_midi does); SMPTE
// time division and formats above 2 are rejected. The reader works on the caller's
// bytes without copying them; what it allocates grows with the events actually present,
// never with a length a chunk merely claims.
//
// Failure: any malformed input throws InputError whose message starts with source_name
// and says what is wrong (and where: track number, byte offset). Never crashes.
// Thread safety: a pure function; call it from any number of threads.
#pragma once

#include <string>
#include <string_view>

#include "proto/music.pb.h"

namespace prnn {

// The largest tick pretty_midi accepts as note_seq configures it (MAX_TICK = 1e10): a
// file whose last event lies at or beyond it is rejected as corrupt.
inline constexpr uint64_t kMaxMidiTick = 10'000'000'000ULL;

magenta::NoteSequence midi_to_note_sequence(std::string_view bytes, const std::string& source_name);

}  // namespace prnn
