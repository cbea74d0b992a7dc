#!/bin/bash
# Which training choices pay at this compute? From one checkpoint of a conditioned run (with
# its Adam state), continues training once per choice with the same budget of training
# events, scores each result on the eval split, and prints one JSON line per choice: events
# trained, eval nll_per_event (conditioning disabled and enabled), the choice's training
# speed on this machine (`benchmark train` of its batch and window: run it on a quiet
# machine) and the eval NLL drop per hour at that speed.
#
#   baseline   batch 16, windows of 512 events, Adam lr 1e-3 constant
#   batch64    Magenta's batch 64 (a quarter of the steps for the same events)
#   cosine     batch 16, lr decayed from 1e-3 to 1e-4 along a cosine over the budget (its
#              warm-up ends at the checkpoint's step: the run is past it)
#   window128  batch 16, windows of 128 events (four times the steps)
#
# Usage: bench/training_choices.sh TRAIN_DIR EVAL_DIR CHECKPOINT [EVENTS_BUDGET] [BINARY]
#   TRAIN_DIR/EVAL_DIR: folders of performances (scripts/asap_split.py makes them);
#   CHECKPOINT: RUN/train/model.ckpt-N.safetensors of an
#   optional_multiconditioned_performance_with_dynamics run; EVENTS_BUDGET defaults to
#   2400000. Runs take the whole machine: pause other jobs first. The runs go to a temporary
#   folder, deleted at the end, or to $PRNN_CHOICES_DIR if set (kept: each choice's run
#   continues the checkpoint's run and can be resumed). $PRNN_CHOICES (e.g. "baseline
#   window128") runs only the choices it names.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/training_choices.sh TRAIN_DIR EVAL_DIR CHECKPOINT [EVENTS_BUDGET] [BINARY]"
train_dir=${1:?$usage}
eval_dir=${2:?$usage}
start=${3:?$usage}
budget=${4:-2400000}
binary=${5:-$root/build/performance_rnn}
start_step=$(basename "$start" | sed -n 's/^model\.ckpt-\([0-9]*\)\.safetensors$/\1/p')
[ -n "$start_step" ] || { echo "bench/training_choices.sh: $start is not a model.ckpt-N.safetensors checkpoint" >&2; exit 1; }
config=optional_multiconditioned_performance_with_dynamics
for path in "$train_dir" "$eval_dir" "$start" "$binary"; do
  [ -e "$path" ] || { echo "bench/training_choices.sh: $path does not exist" >&2; exit 1; }
done
if [ -n "${PRNN_CHOICES_DIR:-}" ]; then
  scratch=$PRNN_CHOICES_DIR
  mkdir -p "$scratch"
else
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
fi

json_field() {  # json_field NAME < one JSON object
  /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}

eval_nll() {  # eval_nll CHECKPOINT True|False
  "$binary" evaluate --checkpoint="$1" --input="$eval_dir" --recursive \
    --disable_conditioning="$2" --threads="$(nproc)" --log=WARN | tail -1 | json_field nll_per_event
}

run_choice() {  # run_choice NAME BATCH WINDOW EXTRA_HPARAMS
  local name=$1 batch=$2 window=$3 extra=$4
  local steps=$((budget / (batch * window)))
  ((steps > 0)) || { echo "bench/training_choices.sh: budget $budget is under one step of $batch x $window" >&2; exit 1; }
  local run=$scratch/$name end=$((start_step + steps))
  local hparams="batch_size=$batch,rnn_layer_sizes=[512,512,512]${extra:+,$extra}"
  hparams=${hparams//START/$start_step}
  hparams=${hparams//STEPS/$steps}
  local log=$scratch/$name.log
  mkdir -p "$run/train" && cp "$start" "$run/train/"
  "$binary" train --config=$config --run_dir="$run" --note_sequence_file="$train_dir" \
    --recursive --max_events_per_example="$window" --hparams="$hparams" \
    --num_training_steps="$end" --save_checkpoint_secs=100000 --num_checkpoints=1 \
    --summary_frequency=50 > "$log" 2>&1
  # "trained N steps in T s (R events/s)": events actually trained (windows can be shorter).
  local events
  events=$(sed -n 's/.*trained [0-9]* steps in \([0-9.]*\) s (\([0-9]*\) events\/s).*/\1 \2/p' "$log" |
           awk '{printf "%d", $1 * $2}')
  local checkpoint=$run/train/model.ckpt-$end.safetensors
  local disabled enabled quiet_rate
  disabled=$(eval_nll "$checkpoint" True)
  enabled=$(eval_nll "$checkpoint" False)
  quiet_rate=$("$binary" benchmark train --batch "$batch" --seq "$window" \
               --layers 512,512,512 --vocab 388 --warmup 1 --iters 3 | json_field tokens_per_s)
  /usr/bin/python3 - "$name" "$batch" "$window" "$hparams" "$steps" "$events" \
      "$disabled" "$enabled" "$quiet_rate" "$start_disabled" <<'EOF'
import json, sys
name, batch, window, hparams, steps, events, disabled, enabled, rate, start = sys.argv[1:]
hours = int(events) / float(rate) / 3600
print(json.dumps({
    'choice': name, 'batch': int(batch), 'window': int(window), 'hparams': hparams,
    'steps': int(steps), 'events_trained': int(events),
    'eval_nll_disabled': round(float(disabled), 4), 'eval_nll_enabled': round(float(enabled), 4),
    'quiet_train_events_per_s': round(float(rate)), 'quiet_hours': round(hours, 3),
    'nll_drop_per_quiet_hour': round((float(start) - float(disabled)) / hours, 4)}))
EOF
}

start_disabled=$(eval_nll "$start" True)
echo "{\"start_checkpoint\": \"$start\", \"eval_nll_disabled\": $start_disabled, \"events_budget\": $budget, \"cpu\": \"$(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)\"}"
wanted() { [[ " ${PRNN_CHOICES:-baseline batch64 cosine window128} " == *" $1 "* ]]; }
if wanted baseline; then run_choice baseline 16 512 ""; fi
if wanted batch64; then run_choice batch64 64 512 ""; fi
if wanted cosine; then
  run_choice cosine 16 512 "warmup_steps=START,decay=cosine,decay_steps=STEPS,min_learning_rate=0.0001"
fi
if wanted window128; then run_choice window128 16 128 ""; fi
