#!/bin/bash
# Are the controls obeyed? For each requested density (1, 2, 4, 8, 16 notes/s) ten 30 s
# performances and their measured notes/s (note onsets over the performance's length);
# for each scale preset (c_major, f_major, d_minor, whole_tone, pentatonic, db_major,
# e_blues) ten performances and the Pearson correlation between the requested and the
# output's pitch-class histogram. Prints one JSON object (tools/benchmark_controls.cc).
# Usage: bench/controls.sh [MODEL_FILE] [BINARY] [extra flags, e.g. --num_outputs=2]
#   MODEL_FILE defaults to the shipped conditioned model,
#   models/optional_multiconditioned_performance_with_dynamics.safetensors.gz;
#   BINARY to build/performance_rnn.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
model=${1:-$root/models/optional_multiconditioned_performance_with_dynamics.safetensors.gz}
binary=${2:-$root/build/performance_rnn}
shift $(($# < 2 ? $# : 2))
[ -f "$model" ] || { echo "bench/controls.sh: no model file $model" >&2; exit 1; }
exec "$binary" benchmark controls --model="$model" --threads="$(nproc)" "$@"
