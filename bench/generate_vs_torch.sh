#!/usr/bin/env bash
# Generation speed, ours against the PyTorch peer (OpenBLAS), side by side, for every
# kernel path (instruction-set level) this CPU supports.
#   bench/generate_vs_torch.sh [BINARY] [STEPS] [-- extra flags for ours, e.g. --weights int8]
# BINARY defaults to build/performance_rnn. PRNN_BENCH_ISAS (default "avx512_bf16 avx512 avx2
# baseline") lists the levels to try; a level the CPU lacks prints a "skipped" line;
# PRNN_BENCH_BATCHES (default "1 10") the batch sizes (the studio runs up to 128). Ours runs
# with one thread unless the extra flags say --threads. For each
# level and batch size it runs ours, the peer, ours again, alternately in one run (the
# machine may be shared; the better of our two runs is compared). OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset for the peer, so OpenBLAS uses its fastest kernels.
# Prints one JSON line per (level, batch) with both rates, the ratio and the CPU model
# (wall-clock rates; ours also per CPU second, which a busy machine disturbs less).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/performance_rnn}
steps=${2:-2000}
shift $(($# > 2 ? 2 : $#)) || true
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
peer=${PRNN_SHARED_DIR:-../shared}/peers/torch_performance_rnn.py
shape=(--layers 512,512,512 --vocab 388)
field() { sed -n "s/.*\"$1\": *\"\\{0,1\\}\\([^,\"}]*\\).*/\\1/p"; }
cpu_model=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
for isa in ${PRNN_BENCH_ISAS:-avx512_bf16 avx512 avx2 baseline}; do
  if ! probe=$("$binary" benchmark generate --isa "$isa" --steps 1 "${shape[@]}" "${extra[@]}" 2>&1); then
    python3 -c "import json, sys; print(json.dumps({'what': 'generate vs torch', 'isa': sys.argv[1], 'skipped': sys.argv[2], 'cpu': sys.argv[3]}))" \
      "$isa" "$probe" "$cpu_model"
    continue
  fi
  for batch in ${PRNN_BENCH_BATCHES:-1 10}; do
    ours_run() { "$binary" benchmark generate --isa "$isa" --batch "$batch" --steps "$steps" "${shape[@]}" "${extra[@]}"; }
    line1=$(ours_run)
    torch=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$peer" generate \
              --batch "$batch" --steps $((steps / 4)) "${shape[@]}" | field events_per_s)
    line2=$(ours_run)
    python3 - "$line1" "$line2" "$torch" "$cpu_model" <<'PY'
import json, sys
runs = [json.loads(sys.argv[1]), json.loads(sys.argv[2])]
best = max(runs, key=lambda r: r['events_per_s'])
torch = float(sys.argv[3])
print(json.dumps({'what': 'generate vs torch', 'isa': best['isa'], 'weights': best['weights'],
                  'batch': best['batch'], 'threads': best['threads'], 'ours_events_per_s': best['events_per_s'],
                  'ours_events_per_cpu_s': best['events_per_cpu_s'], 'torch_events_per_s': torch,
                  'ratio': round(best['events_per_s'] / torch, 1), 'cpu': sys.argv[4],
                  'load_average': open('/proc/loadavg').read().split()[:3]}))
PY
  done
done
