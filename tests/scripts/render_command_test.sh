#!/usr/bin/env bash
# performance_rnn render end to end: WAV + SVG (default) and PNG beside the MIDI file or in
# --output_dir, the WAV's length, and bad input (not MIDI, corrupt MIDI, missing or corrupt
# soundfont): a message naming the file, exit 1, no file left behind; then generate --render.
# Usage: render_command_test.sh BINARY SOURCE_DIR SHARED_DIR
set -uo pipefail
binary=$1
source_dir=$(cd "$2" && pwd)
midi=$source_dir/tests/fixtures/midi_written/melody.mid
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cp "$midi" "$work/melody.mid"
out=$("$binary" render "$work/melody.mid" 2>&1) || fail "render: $out"
[ -s "$work/melody.wav" ] && [ -s "$work/melody.svg" ] || fail "no melody.wav/.svg: $(ls "$work")"
[ -e "$work/melody.png" ] && fail "PNG written without --png"
[ "$(head -c 4 "$work/melody.wav")" = RIFF ] && [ "$(tail -c +9 "$work/melody.wav" | head -c 8)" = "WAVEfmt " ] ||
  fail "not a WAV"
"$binary" render --png --output_dir="$work/pictures" "$work/melody.mid" >/dev/null 2>&1 ||
  fail "render --png --output_dir"
[ "$(ls "$work/pictures")" = "melody.png" ] || fail "--png --output_dir wrote: $(ls "$work/pictures")"
head -c 8 "$work/pictures/melody.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" ||
  fail "not a PNG"
# Length: the last note's end (from dump) plus the 2 s release tail, 44,100 stereo frames/s.
end=$("$binary" dump "$work/melody.mid" | grep -o '"end_time":[0-9.e+-]*' | cut -d: -f2 | sort -g | tail -1)
bytes=$(stat -c %s "$work/melody.wav")
expected=$(awk -v e="$end" 'BEGIN { printf "%d", 44 + 4 * int((e + 2) * 44100 + 0.5) }')
[ "$bytes" -eq "$expected" ] || fail "WAV is $bytes bytes, expected $expected (music ends at $end s)"

expect_error() {
  local what=$1 pattern=$2
  shift 2
  rm -rf "$work/bad"
  mkdir -p "$work/bad"
  local message
  if message=$("$binary" render --png --output_dir="$work/bad" "$@" 2>&1); then
    fail "$what: exit status 0"
  fi
  grep -qF -- "$pattern" <<<"$message" || fail "$what: message '$message' lacks '$pattern'"
  [ -z "$(ls -A "$work/bad")" ] || fail "$what: left files behind: $(ls "$work/bad")"
}
echo "not music" > "$work/notes.txt"
expect_error "not a music file" "$work/notes.txt: not a music file" "$work/notes.txt"
echo "not a MIDI file at all" > "$work/text.mid"
expect_error "corrupt MIDI" "$work/text.mid" "$work/text.mid"
expect_error "missing MIDI" "$work/none.mid" "$work/none.mid"
expect_error "missing soundfont" "soundfont $work/none.sf2: cannot open" --wav \
  --soundfont="$work/none.sf2" "$work/melody.mid"
head -c 5000 /usr/share/sounds/sf2/TimGM6mb.sf2 > "$work/truncated.sf2"
expect_error "truncated soundfont" "soundfont $work/truncated.sf2: FluidSynth cannot load" --wav \
  --soundfont="$work/truncated.sf2" "$work/melody.mid"
out=$("$binary" render --bogus "$work/melody.mid" 2>&1)
[ $? -eq 2 ] || fail "unknown flag: exit status not 2: $out"
# One bad file among good ones: the good ones are rendered, the exit status is 1.
rm -rf "$work/mixed" && mkdir "$work/mixed"
"$binary" render --svg --output_dir="$work/mixed" "$work/text.mid" "$work/melody.mid" >/dev/null 2>&1 &&
  fail "a failing file gave exit status 0"
[ "$(ls "$work/mixed")" = "melody.svg" ] || fail "mixed inputs wrote: $(ls "$work/mixed")"

# generate --render=wav,svg: NAME.wav and NAME.svg beside each MIDI file.
bundle=$source_dir/tests/fixtures/generate/magenta_layout_3x8.mag
"$binary" generate --log=WARN --bundle_file="$bundle" --output_dir="$work/gen" --num_outputs=2 \
  --num_steps=300 --seed=5 --render=wav,svg >/dev/null 2>&1 || fail "generate --render=wav,svg"
for i in 1 2; do
  for ext in mid wav svg; do
    ls "$work"/gen/*_$i.$ext >/dev/null 2>&1 || fail "generate --render: no *_$i.$ext"
  done
done
[ "$(ls "$work/gen" | wc -l)" -eq 6 ] || fail "generate --render wrote: $(ls "$work/gen")"
rm -rf "$work/genbad"
"$binary" generate --log=WARN --bundle_file="$bundle" --output_dir="$work/genbad" \
  --num_steps=300 --seed=5 --render=wav,mp3 >/dev/null 2>&1 && fail "--render=wav,mp3 accepted"
[ -z "$(ls -A "$work/genbad" 2>/dev/null)" ] || fail "--render=wav,mp3 left files"
out=$("$binary" generate --log=WARN --bundle_file="$bundle" --output_dir="$work/genbad" \
  --num_steps=300 --seed=5 --render=wav --soundfont="$work/none.sf2" 2>&1) &&
  fail "generate with a missing soundfont succeeded"
grep -qF "soundfont $work/none.sf2: cannot open" <<<"$out" || fail "generate soundfont message: $out"
[ -z "$(ls -A "$work/genbad" 2>/dev/null)" ] || fail "a missing soundfont left files"

[ "$failures" -eq 0 ] && echo "all render command checks passed"
exit "$failures"
