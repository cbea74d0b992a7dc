#!/usr/bin/env bash
# End-to-end test of `convert` / convert_dir_to_note_sequences (issue 2 item 8): ids,
# filenames and collection names as Magenta sets them (SHA-1 checked with Python's
# hashlib), failures reported and skipped, summary, exit status, recursion, atomic output.
# usage: convert_test.sh BINARY SOURCE_DIR SHARED_DIR
set -euo pipefail
binary=$1 shared=$3
if [ ! -d "$shared/data" ]; then  # the shared test data (CTest: SKIP_RETURN_CODE 77)
  echo "SKIPPED: the shared test data ($shared) is absent"; exit 77
fi
magenta_name="$(dirname "$binary")/convert_dir_to_note_sequences"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. The shared note_seq files, through the Magenta-named link.
mkdir -p "$work/in/note_seq"
cp "$shared"/data/note_seq/* "$work/in/note_seq/"
"$magenta_name" --input_dir="$work/in/note_seq/" --output_file="$work/out.tfrecord" \
  > "$work/stdout" 2> "$work/stderr" || fail "convert failed: $(cat "$work/stderr")"
grep -q "Converted 19 of 23 music files into 19 NoteSequences" "$work/stderr" || { cat "$work/stderr"; fail "summary"; }
grep -q "failed: 6" "$work/stderr" || fail "failure count"
grep -q "musicxml: unpitched notes" "$work/stderr" || fail "failure reason listed"
grep -q "skipped (no converter): 1 without extension" "$work/stderr" || fail "skipped types"
grep -q "^INFO: 23/23 files" "$work/stderr" || fail "plain progress line when not on a terminal"
ls "$work" | grep -q "tmp" && fail "temporary file left behind"
"$binary" dump "$work/out.tfrecord" > "$work/dump.jsonl"
/usr/bin/python3 - "$work/dump.jsonl" <<'PY'
import hashlib, json, sys
seqs = [json.loads(line) for line in open(sys.argv[1])]
assert len(seqs) == 19, len(seqs)
kinds = {'mid': 'midi', 'xml': 'musicxml', 'mxl': 'musicxml', 'abc': 'abc'}
for s in seqs:
    kind = kinds[s['filename'].rsplit('.', 1)[1]]
    hashed = s['filename'] + ('_1' if kind == 'abc' else '')
    want = '/id/%s/note_seq/%s' % (kind, hashlib.sha1(hashed.encode()).hexdigest())
    assert s['id'] == want, (s['id'], want)
    assert s['collection_name'] == 'note_seq'
    assert '/' not in s['filename']
    want_encoding = {'midi': 'MIDI', 'musicxml': 'MUSIC_XML', 'abc': 'ABC'}[kind]
    assert s['source_info']['encoding_type'] == want_encoding, s['source_info']
print('ids, filenames, collections and source_info as Magenta sets them')
PY

# 2. Recursion: sub-folder files only with --recursive; filename relative to input_dir.
mkdir -p "$work/tree/sub/deeper"
cp "$shared/data/note_seq/melody.mid" "$work/tree/top.mid"
cp "$shared/data/note_seq/example.mid" "$work/tree/sub/deeper/Inner.MIDI"
"$binary" convert --input_dir "$work/tree" --output_file "$work/flat.tfrecord" 2> /dev/null
[ "$("$binary" dump "$work/flat.tfrecord" | wc -l)" = 1 ] || fail "non-recursive run read sub-folders"
"$binary" convert --input_dir="$work/tree" --output_file="$work/deep.tfrecord" --recursive 2> /dev/null
grep -q '"filename":"sub/deeper/Inner.MIDI","collection_name":"tree"' <<<"$("$binary" dump "$work/deep.tfrecord")" \
  || fail "relative filename in recursive run"
"$binary" convert --input_dir="$work/tree" --output_file="$work/deep.tfrecord" --norecursive 2> /dev/null
[ "$("$binary" dump "$work/deep.tfrecord" | wc -l)" = 1 ] || fail "--norecursive"

# 3. Nothing convertible: non-zero exit, no output file.
mkdir -p "$work/bad"
printf 'MThd junk' > "$work/bad/broken.mid"
if "$binary" convert --input_dir="$work/bad" --output_file="$work/none.tfrecord" 2> "$work/err"; then
  fail "exit 0 although nothing converted"
fi
grep -q "broken.mid" "$work/err" || fail "failure does not name the file"
[ ! -e "$work/none.tfrecord" ] || fail "output written although nothing converted"

# 4. Flags: unknown flags are errors naming them; --help lists every flag with its default.
if "$binary" convert --input_dir="$work/tree" --output_file="$work/x" --bogus=1 2> "$work/err"; then
  fail "unknown flag accepted"
fi
grep -q "bogus" "$work/err" || fail "unknown flag not named"
"$binary" convert --help > "$work/help"
for flag in input_dir output_file recursive unroll_repeats log; do
  grep -q -- "--$flag" "$work/help" || fail "--help does not list --$flag"
done
echo "convert: all checks passed"
