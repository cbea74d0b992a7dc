#!/usr/bin/env bash
# Parity of our MIDI reader with ../shared/peers/midi_notes_reference.py (note_seq's and
# pretty_midi's conventions over mido) on every MIDI file of the shared data: per file,
# the multiset of (pitch, velocity, start, end, program, is_drum) must be equal with
# times within 1 µs, and total_time and ticks_per_quarter must agree.
# usage: midi_parity_test.sh BINARY SOURCE_DIR SHARED_DIR
set -euo pipefail
binary=$1 source_dir=$2 shared_dir=$3
if [ ! -d "$shared_dir/data" ]; then  # the shared test data (CTest: SKIP_RETURN_CODE 77)
  echo "SKIPPED: the shared test data ($shared_dir) is absent"; exit 77
fi
exec /usr/bin/python3 "$source_dir/tests/scripts/midi_parity_compare.py" "$binary" \
  "$shared_dir/peers/midi_notes_reference.py" "$shared_dir/data/asap" "$shared_dir/data/note_seq"
