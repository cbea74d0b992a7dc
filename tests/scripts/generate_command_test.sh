#!/usr/bin/env bash
# performance_rnn_generate end to end: file names, --seed reproducibility, beam search and
# controls, the echo, and every bad input of issue 5 (clear message, non-zero exit, no MIDI
# file left behind). Models: the Magenta-layout fixture bundles (tests/fixtures/generate).
# Usage: generate_command_test.sh BINARY SOURCE_DIR SHARED_DIR
set -uo pipefail
binary=$1
source_dir=$(cd "$2" && pwd)
fixtures=$source_dir/tests/fixtures/generate
plain=$fixtures/magenta_layout_3x8.mag
conditioned=$fixtures/magenta_layout_conditioned_2x8.mag
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

generate() { "$binary" generate --log=WARN "$@"; }

# Names: YYYY-mm-dd_HHMMSS_NN.mid, numbered from 1, zero-padded to the digits of num_outputs.
generate --bundle_file="$plain" --output_dir="$work/names" --num_outputs=10 --num_steps=150 \
  --seed=3 >/dev/null 2>&1 || fail "ten outputs"
names=$(ls "$work/names" | sed 's/^[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}_[0-9]\{6\}_//' | tr '\n' ' ')
[ "$names" = "01.mid 02.mid 03.mid 04.mid 05.mid 06.mid 07.mid 08.mid 09.mid 10.mid " ] ||
  fail "file names: $(ls "$work/names" | tr '\n' ' ')"

# The same seed gives the same files; another seed other files.
for dir in a b; do
  generate --bundle_file="$plain" --output_dir="$work/$dir" --num_outputs=2 --num_steps=400 \
    --primer_pitches="[60, 64, 67]" --seed=11 --beam_size=2 --branch_factor=2 \
    --steps_per_iteration=3 >/dev/null 2>&1 || fail "beam search run $dir"
done
generate --bundle_file="$plain" --output_dir="$work/c" --num_outputs=2 --num_steps=400 \
  --primer_pitches="[60, 64, 67]" --seed=12 --beam_size=2 --branch_factor=2 \
  --steps_per_iteration=3 >/dev/null 2>&1 || fail "beam search run c"
for i in 1 2; do
  cmp -s "$work"/a/*_$i.mid "$work"/b/*_$i.mid || fail "--seed=11 output $i differs between runs"
done
cmp -s "$work"/a/*_1.mid "$work"/c/*_1.mid && fail "--seed=12 gave the same file as --seed=11"

# Controls on a conditioned model: segments, scale names, the echo.
out=$(generate --bundle_file="$conditioned" --output_dir="$work/ctl" --num_outputs=1 \
  --num_steps=300 --notes_per_second="[2, 8]" --pitch_class_histogram="[c_major, whole_tone]" \
  --disable_conditioning=False --seed=1 2>&1) || fail "conditioned generation: $out"
grep -q "density bin \[2, 4\]" <<<"$out" || fail "density echo missing: $out"
grep -q "pitch_class_histogram" <<<"$out" || fail "histogram echo missing: $out"
# A control flag the model does not use: a warning, and generation goes on.
out=$("$binary" generate --bundle_file="$plain" --output_dir="$work/warn" --num_outputs=1 \
  --num_steps=100 --notes_per_second=4 --seed=1 2>&1) || fail "unused control flag failed"
grep -q "will be ignored" <<<"$out" || fail "no warning for an unused control flag: $out"

# Bad input: non-zero exit, a message naming the problem, no MIDI file.
expect_error() {
  local what=$1 pattern=$2
  shift 2
  rm -rf "$work/bad"
  local message
  if message=$(generate --output_dir="$work/bad" --num_outputs=2 --num_steps=300 --seed=1 "$@" 2>&1); then
    fail "$what: exit status 0"
  fi
  grep -qi -- "$pattern" <<<"$message" || fail "$what: message '$message' lacks '$pattern'"
  if [ -d "$work/bad" ] && [ -n "$(ls -A "$work/bad")" ]; then fail "$what: left files behind"; fi
}
expect_error "pitch 200" "outside 0…127" --bundle_file="$plain" --primer_pitches="[60, 200]"
expect_error "melody -3" "outside -2…127" --bundle_file="$plain" --primer_melody="[60, -3]"
expect_error "histogram length" "12 weights" --bundle_file="$conditioned" --pitch_class_histogram="[1, 2, 3]"
expect_error "histogram negative" "negative" --bundle_file="$conditioned" \
  --pitch_class_histogram="[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]"
expect_error "histogram zero" "all weights are zero" --bundle_file="$conditioned" \
  --pitch_class_histogram="[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"
expect_error "density 0" "must be > 0" --bundle_file="$conditioned" --notes_per_second=0
expect_error "steps not past the primer" "num_steps" --bundle_file="$plain" \
  --primer_pitches="[60]" --num_steps=50
expect_error "missing bundle" "$work/none.mag" --bundle_file="$work/none.mag"
head -c 30000 "$plain" > "$work/truncated.mag"
expect_error "truncated bundle" "truncated.mag" --bundle_file="$work/truncated.mag"
mkdir -p "$work/empty_run/train"
expect_error "run_dir without checkpoints" "no checkpoints" --run_dir="$work/empty_run"
expect_error "run_dir and bundle" "only with --save_generator_bundle" --bundle_file="$plain" \
  --run_dir="$work/empty_run"
expect_error "temperature 0" "temperature" --bundle_file="$plain" --temperature=0
expect_error "unknown --isa" "this CPU supports baseline" --bundle_file="$plain" --isa=avx9
expect_error "unknown --weights" "not one of int8, bf16, fp32" --bundle_file="$plain" --weights=fp8
# Every level this CPU has generates (int8 weights, quantized at load); a level the CPU
# lacks is refused naming it.
for isa in baseline avx2 avx512 avx512_bf16; do
  rm -rf "$work/isa"
  if message=$(generate --bundle_file="$plain" --output_dir="$work/isa" --num_outputs=2 \
                 --num_steps=200 --seed=1 --isa=$isa --weights=int8 2>&1); then
    [ "$(ls "$work/isa" | wc -l)" -eq 2 ] || fail "--isa=$isa wrote $(ls "$work/isa" | wc -l) files"
  else
    grep -q "this CPU lacks $isa" <<<"$message" || fail "--isa=$isa: $message"
  fi
done
out=$(PRNN_ISA=avx9 "$binary" generate --bundle_file="$plain" --output_dir="$work/env" 2>&1) &&
  fail "PRNN_ISA=avx9 accepted"
grep -q "PRNN_ISA=avx9" <<<"$out" || fail "PRNN_ISA=avx9: $out"

# evaluate: one JSON line per file, then the summary.
shared_dir=$3
if [ -d "$shared_dir/data" ]; then
  out=$("$binary" evaluate --bundle_file="$plain" --input="$shared_dir/data/note_seq/example.mid" \
    --log_likelihood --log=WARN 2>&1) || fail "evaluate: $out"
  head -1 <<<"$out" | grep -q '"log_likelihood"' || fail "evaluate file line: $out"
  tail -1 <<<"$out" | grep -q '"files":1' || fail "evaluate summary: $out"
  tail -1 <<<"$out" | grep -q '"nll_per_event":[0-9]' || fail "evaluate nll: $out"
else
  echo "skipped evaluate of a shared file: the shared test data ($shared_dir) is absent"
fi
"$binary" evaluate --bundle_file="$plain" --input="$work/none.mid" >/dev/null 2>&1 &&
  fail "evaluate of a missing file succeeded"

# The README's command, as written: the Magenta-named link, the shipped model, ten files.
link=$(cd "$(dirname "$binary")" && pwd)/performance_rnn_generate
[ -e "$source_dir/models/performance_with_dynamics.safetensors.gz" ] || fail "no shipped model"
unset PRNN_MODEL
(cd "$work" && "$link" --output_dir=out >/dev/null 2>&1) ||
  fail "performance_rnn_generate --output_dir=out"
[ "$(ls "$work/out" | wc -l)" -eq 10 ] || fail "the README command wrote $(ls "$work/out" | wc -l) files"

[ "$failures" -eq 0 ] && echo "all generate command checks passed"
exit "$failures"
