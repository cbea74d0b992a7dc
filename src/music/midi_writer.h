// NoteSequence → Standard MIDI File (format 1), as note_seq writes it
// (midi_io.note_sequence_to_pretty_midi, then pretty_midi's write over mido):
//   * resolution = ticks_per_quarter, or 220 when 0;
//   * track 0: set_tempo events (the first tempo at time 0 is the initial one, else
//     120 qpm), time signatures (a 4/4 at 0 unless one starts at 0) and key signatures;
//   * one track per (instrument, program, is_drum) group, in sorted order, after a
//     default program-0 track that groups with instrument <= 0 take over; channel 9 for
//     drums, otherwise channels 0–8, 10–15 by track index; a program change at tick 0;
//     notes as note-on / velocity-0 note-on at the nearest tick; control changes and
//     pitch bends;
//   * events sorted by tick, then program change < pitch bend < control change < notes
//     (a note-off before a note-on of the same pitch on the same tick).
// Reading the output back (midi_reader.h) reproduces every note to the tick. doc/midi.md
// lists where we deliberately differ from note_seq (tempos are sorted by time first).
//
// Failure: values a MIDI file cannot hold (pitch, velocity, program, control number or
// value outside 0..127, bend outside -8192..8191, negative times, a time signature
// denominator that is not a power of two, a tempo <= 0) throw InputError naming the
// sequence (id or filename) and the value. Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "proto/music.pb.h"

namespace prnn {

struct MidiWriteOptions {
  // note_seq's drop_events_n_seconds_after_last_note: signatures, tempos, control
  // changes and pitch bends later than the last note end plus this are left out.
  std::optional<double> drop_events_seconds_after_last_note;
};

// The bytes of the MIDI file.
std::string note_sequence_to_midi(const magenta::NoteSequence& sequence,
                                  const MidiWriteOptions& options = {});

// Writes the MIDI file atomically (see AtomicFileWriter).
void note_sequence_to_midi_file(const magenta::NoteSequence& sequence, const std::string& path,
                                const MidiWriteOptions& options = {});

}  // namespace prnn
