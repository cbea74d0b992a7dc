#!/bin/bash
# The dataset stage feeds the trainer: create_dataset writes both SequenceExample layouts
# (compact and --onehot_inputs) from the shared MIDI files; train reads each, and the
# eval job evaluates the result on the eval file.
# Usage: train_from_dataset_test.sh BINARY SOURCE_DIR SHARED_DIR
set -euo pipefail
binary=$1 shared=$3
if [ ! -d "$shared/data" ]; then  # the shared test data (CTest: SKIP_RETURN_CODE 77)
  echo "SKIPPED: the shared test data ($shared) is absent"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/midi"
cp "$shared"/data/note_seq/*.mid "$work/midi/"
for layout in compact onehot; do
  extra=""
  [ "$layout" = onehot ] && extra="--onehot_inputs"
  "$binary" create_dataset --input="$work/midi" --output_dir="$work/$layout" \
    --config=performance_with_dynamics --eval_ratio=0.5 --seed=1 $extra --log=WARN
  "$binary" train --config=performance_with_dynamics --run_dir="$work/run_$layout" \
    --sequence_example_file="$work/$layout/training_performances.tfrecord" \
    --hparams='batch_size=4,rnn_layer_sizes=[16]' --num_training_steps=3 --precision=fp32 \
    --log=WARN
  test -f "$work/run_$layout/train/model.ckpt-3.safetensors"
done
# The eval job on whichever file got examples (the split is random, as Magenta's).
eval_file="$work/compact/eval_performances.tfrecord"
[ -s "$eval_file" ] || eval_file="$work/compact/training_performances.tfrecord"
out=$("$binary" train --eval --config=performance_with_dynamics --run_dir="$work/run_compact" \
  --sequence_example_file="$eval_file" --hparams='batch_size=4,rnn_layer_sizes=[16]' \
  --num_training_steps=3 --eval_interval_secs=0.1 2>&1)
grep -q "eval step 3: loss = " <<< "$out" || { echo "$out"; exit 1; }
# A one-hot file is refused by a config of another input size, naming both sizes.
if out=$("$binary" train --config=performance --run_dir="$work/wrong" \
    --sequence_example_file="$work/onehot/training_performances.tfrecord" 2>&1); then
  echo "accepted examples of another config"; exit 1
fi
grep -q "input size 388" <<< "$out" && grep -q "356" <<< "$out" || { echo "$out"; exit 1; }
echo ok
