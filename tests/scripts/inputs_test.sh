#!/usr/bin/env bash
# Issue 9: folders mean the same thing in every command, and zero inputs is an error.
# A tree of music files (as ASAP: composer/piece/performance) is read by convert,
# create_dataset, train, evaluate and dump only with --recursive; without it each command
# exits non-zero naming the folder and "add --recursive" (it used to exit 0 with empty
# outputs, or print "files":0 and null figures). An empty TFRecord, and inputs that give
# no example or nothing to score, are errors too. Self-contained: the music is generated
# with the fixture bundle.
# Usage: inputs_test.sh BINARY SOURCE_DIR SHARED_DIR
set -uo pipefail
binary=$1
bundle=$(cd "$2" && pwd)/tests/fixtures/generate/magenta_layout_3x8.mag
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error WHAT PATTERN COMMAND...: non-zero exit and PATTERN in its output.
expect_error() {
  local what=$1 pattern=$2 out
  shift 2
  if out=$("$@" 2>&1); then fail "$what: exit status 0: $out"; fi
  grep -qF -- "$pattern" <<<"$out" || fail "$what: output lacks '$pattern': $out"
  if grep -q "null" <<<"$out"; then fail "$what: null in the output: $out"; fi
}

# Music: three 20 s performances in sub-folders only, and a few notes too short to use.
"$binary" generate --bundle_file="$bundle" --output_dir="$work/gen" --num_outputs=3 \
  --num_steps=2000 --seed=5 --log=WARN >/dev/null 2>&1 || fail "generating the inputs"
mkdir -p "$work/tree/Bach/Fugue" "$work/tree/Chopin/Etude/op10"
files=("$work"/gen/*.mid)
cp "${files[0]}" "$work/tree/Bach/Fugue/a.mid"
cp "${files[1]}" "$work/tree/Bach/Fugue/b.mid"
cp "${files[2]}" "$work/tree/Chopin/Etude/op10/c.midi"
echo "not music" > "$work/tree/README.txt"
"$binary" generate --bundle_file="$bundle" --output_dir="$work/short" --num_outputs=1 \
  --num_steps=20 --seed=5 --log=WARN >/dev/null 2>&1 || fail "generating the short input"
: > "$work/empty.tfrecord"
tree_message="$work/tree holds no music files (3 more in sub-folders: add --recursive)"

# convert
expect_error "convert of a tree" "$tree_message" \
  "$binary" convert --input_dir="$work/tree" --output_file="$work/flat.tfrecord"
[ ! -e "$work/flat.tfrecord" ] || fail "convert of a tree wrote an output"
"$binary" convert --input_dir="$work/tree" --output_file="$work/deep.tfrecord" --recursive \
  2>/dev/null || fail "convert --recursive"
[ "$("$binary" dump "$work/deep.tfrecord" | wc -l)" = 3 ] || fail "convert --recursive: not 3 sequences"

# create_dataset: the reported failure (exit 0 after 0.02 s with empty outputs).
expect_error "create_dataset of a tree" "$tree_message" \
  "$binary" create_dataset --config=performance_with_dynamics --input="$work/tree" \
  --output_dir="$work/ds_flat"
[ ! -e "$work/ds_flat/training_performances.tfrecord" ] || fail "create_dataset of a tree wrote outputs"
out=$("$binary" create_dataset --config=performance_with_dynamics --input="$work/tree" \
  --recursive --output_dir="$work/ds" --seed=1 --eval_ratio=0 2>&1) || fail "create_dataset --recursive: $out"
grep -q "^input sequences: 3 read" <<<"$out" || fail "create_dataset --recursive did not read 3: $out"
grep -q "^training: 3 sequences -> [1-9]" <<<"$out" || fail "create_dataset --recursive: no examples: $out"
[ -s "$work/ds/training_performances.tfrecord" ] || fail "create_dataset --recursive: empty output"
expect_error "create_dataset of an empty TFRecord" "$work/empty.tfrecord: empty file" \
  "$binary" create_dataset --input="$work/empty.tfrecord" --output_dir="$work/ds_empty"
expect_error "create_dataset without examples" "no examples" \
  "$binary" create_dataset --config=performance_with_dynamics --input="$work/short" \
  --output_dir="$work/ds_short"
[ ! -e "$work/ds_short/training_performances.tfrecord" ] || fail "create_dataset without examples wrote outputs"
[ ! -e "$work/ds_empty/training_performances.tfrecord" ] || fail "create_dataset of an empty TFRecord wrote outputs"

# train --note_sequence_file
train() {
  "$binary" train --config=performance_with_dynamics --hparams='batch_size=2,rnn_layer_sizes=[8]' \
    --precision=fp32 --num_training_steps=1 --save_checkpoint_secs=0 --log=WARN "$@"
}
expect_error "train on a tree" "$tree_message" train --run_dir="$work/run_flat" \
  --note_sequence_file="$work/tree"
train --run_dir="$work/run" --note_sequence_file="$work/tree" --recursive >/dev/null 2>&1 ||
  fail "train --recursive"
ls "$work/run/train/"*.safetensors >/dev/null 2>&1 || fail "train --recursive wrote no checkpoint"
expect_error "train on an empty TFRecord" "empty" train --run_dir="$work/run_empty" \
  --note_sequence_file="$work/empty.tfrecord"

# evaluate: the reported failure ("files":0,"nll_per_event":null, exit 0).
evaluate() { "$binary" evaluate --bundle_file="$bundle" --log=WARN "$@"; }
expect_error "evaluate of a tree" "$tree_message" evaluate --input="$work/tree"
out=$(evaluate --input="$work/tree" --recursive 2>&1) || fail "evaluate --recursive: $out"
[ "$(grep -c '"file":' <<<"$out")" = 3 ] || fail "evaluate --recursive: not one line per file: $out"
tail -1 <<<"$out" | grep -q '"files":3' || fail "evaluate --recursive summary: $out"
tail -1 <<<"$out" | grep -q '"nll_per_event":[0-9]' || fail "evaluate --recursive nll: $out"
grep -q null <<<"$out" && fail "evaluate --recursive printed null: $out"
expect_error "evaluate of an empty TFRecord" "$work/empty.tfrecord: empty file" \
  evaluate --input="$work/empty.tfrecord"
expect_error "evaluate of a performance too short" "nothing to score" \
  evaluate --input="$work/short"

# dump: reports the bad argument and still dumps the others.
out=$("$binary" dump "$work/empty.tfrecord" "$work/tree" "$work/deep.tfrecord" 2>&1) &&
  fail "dump of an empty TFRecord and a tree: exit 0"
grep -qF "$work/empty.tfrecord: empty file" <<<"$out" || fail "dump: empty TFRecord not named: $out"
grep -qF "$tree_message" <<<"$out" || fail "dump: tree not named: $out"
[ "$(grep -c '"notes"' <<<"$out")" = 3 ] || fail "dump: the good TFRecord was not dumped: $out"
[ "$("$binary" dump --recursive "$work/tree" | wc -l)" = 3 ] || fail "dump --recursive"

[ "$failures" -eq 0 ] && echo "all input checks passed"
exit "$failures"
