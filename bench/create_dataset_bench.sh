#!/usr/bin/env bash
# Benchmark of performance_rnn_create_dataset on all 924 ASAP performances
# (performance_with_dynamics, eval_ratio 0.1, full augmentation), printing JSON.
#
#   bench/create_dataset_bench.sh [BINARY] [ASAP_DIR] [CONFIG]
#
# Cases: "one_step" reads the folder of performance MIDIs directly; "two_stage" first
# converts them to a NoteSequence TFRecord (when the binary has the `convert` command),
# then runs create_dataset on it. Outputs go to a temporary directory that is removed.
set -euo pipefail
binary=${1:-build/performance_rnn}
asap=${2:-../shared/data/asap}
config=${3:-performance_with_dynamics}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The 924 performances listed in metadata.csv (last column), linked into one folder.
mkdir "$work/midi"
tail -n +2 "$asap/metadata.csv" | tr -d '\r' | awk -F, '{print $NF}' | while read -r file; do
  ln -s "$(realpath "$asap/$file")" "$work/midi/$(echo "$file" | tr / _)"
done

# run NAME COMMAND...: times the command, prints a JSON object for it.
run() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > "$work/out" 2> "$work/err"
  read -r wall user sys < "$work/time"
  python3 - "$name" "$wall" "$user" "$sys" "$work/out" <<'PY'
import json, re, sys
name, wall, user, sys_, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
text = open(out).read()
result = {"case": name, "wall_seconds": wall, "cpu_seconds": round(user + sys_, 2)}
examples = events = bytes_ = 0
for split in ("training", "eval"):
  m = re.search(r"^%s: (\d+) sequences -> (\d+) examples, (\d+) events, (\d+) bytes" % split, text, re.M)
  if m:
    examples += int(m.group(2)); events += int(m.group(3)); bytes_ += int(m.group(4))
if examples:
  result.update(examples=examples, events=events, bytes=bytes_,
                examples_per_second=round(examples / wall), events_per_second=round(events / wall),
                bytes_per_event=round(bytes_ / events, 1))
print(json.dumps(result))
PY
}

cores=$(nproc)
load=$(cut -d' ' -f1 /proc/loadavg)
echo "{\"benchmark\": \"create_dataset\", \"config\": \"$config\", \"inputs\": $(ls "$work/midi" | wc -l), \"cores\": $cores, \"load_average_at_start\": $load, \"cases\": ["
run one_step "$binary" create_dataset --config="$config" --input="$work/midi" \
  --output_dir="$work/out_one_step" --eval_ratio=0.1 --seed=1
rm -rf "$work/out_one_step"
if "$binary" convert --help > /dev/null 2>&1; then
  echo ","
  run convert "$binary" convert --input_dir="$work/midi" --output_file="$work/ns.tfrecord"
  echo ","
  run two_stage_create_dataset "$binary" create_dataset --config="$config" \
    --input="$work/ns.tfrecord" --output_dir="$work/out_two_stage" --eval_ratio=0.1 --seed=1
fi
echo "]}"
