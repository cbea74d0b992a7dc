#!/usr/bin/env bash
# End-to-end checks of `performance_rnn create_dataset`: bad flags, corrupt records
# (reported with file and offset, skipped), seeded reproducibility, one step from a MIDI
# folder, atomic outputs.
# Usage: create_dataset_test.sh BINARY SOURCE_DIR SHARED_DIR
set -euo pipefail
binary=$1
source_dir=$2
shared_dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixture="$source_dir/tests/fixtures/performance/asap_sequences.tfrecord"
fail() { echo "FAIL: $*" >&2; exit 1; }

# An unknown config is a usage error listing the valid ones.
status=0
"$binary" create_dataset --config=nope --input="$fixture" --output_dir="$work/x" \
  > /dev/null 2> "$work/err" || status=$?
[ "$status" = 2 ] || fail "unknown config exited with $status"
grep -q "optional_multiconditioned_performance_with_dynamics" "$work/err" || fail "no config list"
[ ! -e "$work/x/training_performances.tfrecord" ] || fail "output written after a usage error"

# A missing input is an error naming the path.
status=0
"$binary" create_dataset --input="$work/missing.tfrecord" --output_dir="$work/x" \
  > /dev/null 2> "$work/err" || status=$?
[ "$status" = 1 ] || fail "missing input exited with $status"
grep -q "missing.tfrecord" "$work/err" || fail "missing input not named"

# Seeded runs are reproducible.
for run in a b; do
  "$binary" create_dataset --config=performance_with_dynamics --input="$fixture" \
    --output_dir="$work/$run" --seed=7 --eval_ratio=0.5 > "$work/$run.out"
done
cmp "$work/a/training_performances.tfrecord" "$work/b/training_performances.tfrecord" \
  || fail "seeded runs differ"
cmp "$work/a/eval_performances.tfrecord" "$work/b/eval_performances.tfrecord" \
  || fail "seeded eval runs differ"
grep -q "^DAGPipeline_PerformanceExtractor_.*_performances_truncated: " "$work/a.out" \
  || fail "statistics not printed"
grep -q "^input sequences: 2 read, 0 unreadable" "$work/a.out" || fail "report missing"

# A corrupt record (a flipped byte in the second record's data) is reported with its
# offset, counted and skipped; the first record still yields examples.
cp "$fixture" "$work/corrupt.tfrecord"
first_length=$(od -An -t u8 -N 8 "$fixture" | tr -d ' ')
second=$((first_length + 16))
printf '\xff' | dd of="$work/corrupt.tfrecord" bs=1 seek=$((second + 40)) conv=notrunc 2> /dev/null
"$binary" create_dataset --input="$work/corrupt.tfrecord" --output_dir="$work/c" --seed=1 \
  > "$work/c.out" 2> "$work/c.err"
grep -q "1 read, 1 unreadable" "$work/c.out" || fail "corrupt record not counted"
grep -q "offset $second\|byte $second\|$second" "$work/c.err" || fail "offset not reported"
[ -s "$work/c/training_performances.tfrecord" ] || fail "no output for the good record"

# One step from a folder of MIDI files (one of the shared ASAP files).
if [ -d "$shared_dir/data" ]; then
  mkdir "$work/midi"
  cp "$shared_dir/data/asap/Bach/Fugue/bwv_846/Shi05M.mid" "$work/midi/"
  echo "not midi" > "$work/midi/notes.txt"
  "$binary" create_dataset --input="$work/midi" --output_dir="$work/m" --seed=1 --eval_ratio=0 \
    > "$work/m.out"
  grep -q "^training: 1 sequences -> [1-9]" "$work/m.out" || fail "folder input gave no examples"
else
  echo "skipped the folder input: the shared test data ($shared_dir) is absent"
fi

# Outputs are atomic: an unwritable output directory leaves nothing behind.
touch "$work/file"
status=0
"$binary" create_dataset --input="$fixture" --output_dir="$work/file/sub" \
  > /dev/null 2> "$work/err" || status=$?
[ "$status" = 1 ] || fail "unwritable output_dir exited with $status"
echo PASS
