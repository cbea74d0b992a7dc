#!/bin/bash
# Does the trainer wait on data? Trains performance_with_dynamics (3x512, batch 64 by
# default) straight from the ASAP MIDI folder with online augmentation (the most
# expensive input path) and prints one JSON line with the time the trainer spent waiting
# for the background batch producer.
# Usage: bench/train_data_wait.sh BINARY ASAP_DIR [STEPS] [HPARAMS]
set -euo pipefail
binary=$1 asap=$2 steps=${3:-20} hparams=${4:-batch_size=64,rnn_layer_sizes=[512,512,512]}
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
log=$("$binary" train --config=performance_with_dynamics --run_dir="$run" \
  --note_sequence_file="$asap" --recursive --note_sequence_exclude='midi_score\.mid$|\.musicxml$|\.xml$' \
  --hparams="$hparams" --num_training_steps="$steps" --save_checkpoint_secs=100000 2>&1)
line=$(grep -o 'trained .*' <<< "$log" | tail -1)
# "trained N steps in S s (E events/s); waited on data W s (P%)"
read -r steps_done seconds events_per_s wait_s wait_pct < <(
  sed -E 's/trained ([0-9]+) steps in ([0-9.]+) s \(([0-9.]+) events\/s\); waited on data ([0-9.]+) s \(([0-9.]+)%\)/\1 \2 \3 \4 \5/' <<< "$line")
printf '{"case":"train_data_wait","hparams":"%s","steps":%s,"seconds":%s,"events_per_s":%s,"data_wait_s":%s,"data_wait_percent":%s}\n' \
  "$hparams" "$steps_done" "$seconds" "$events_per_s" "$wait_s" "$wait_pct"
