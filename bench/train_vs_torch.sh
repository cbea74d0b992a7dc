#!/usr/bin/env bash
# Side-by-side training speed: ours (`performance_rnn benchmark train --isa LEVEL`) and the
# PyTorch peer (../shared/peers/torch_performance_rnn.py train, OpenBLAS), run alternately
# ROUNDS times on the same configuration for every instruction-set level in PRNN_BENCH_ISAS
# (default "avx512_bf16 avx512 avx2 baseline"; a level the CPU lacks prints a "skipped"
# line), then the ratio of the medians. Prints each run's JSON line and one summary JSON
# line per level with the CPU model. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset here (and
# only here) so that OpenBLAS, under PyTorch, picks its fastest kernels.
#
#   bench/train_vs_torch.sh [BINARY] [ROUNDS] [-- extra flags for both, e.g. --seq 256]
# Defaults: build/performance_rnn, 3 rounds, batch 64 x 512 events, 3 x 512, 388 classes.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$here/build/performance_rnn}"
rounds="${2:-3}"
shift $(( $# > 2 ? 2 : $# )) || true
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
peer="${PRNN_TORCH_PEER:-$here/../shared/peers/torch_performance_rnn.py}"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
common=(--batch 64 --seq 512 --layers 512,512,512 --vocab 388 --iters 3 --warmup 1 "${extra[@]}")
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cpu_model=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
for isa in ${PRNN_BENCH_ISAS:-avx512_bf16 avx512 avx2 baseline}; do
  if ! probe=$("$binary" benchmark train --isa "$isa" --batch 1 --seq 2 --layers 16 --vocab 8 --iters 1 --warmup 0 2>&1); then
    echo "{\"what\": \"train ours vs torch\", \"isa\": \"$isa\", \"skipped\": \"$(tr -d '"' <<<"$probe")\", \"cpu\": \"$cpu_model\"}"
    continue
  fi
  ours=() theirs=() precision=""
  for ((r = 0; r < rounds; r++)); do
    line=$("$binary" benchmark train --isa "$isa" "${common[@]}")
    echo "$line"
    ours+=("$(sed -E 's/.*"tokens_per_s":([0-9.]+).*/\1/' <<<"$line")")
    precision=$(sed -E 's/.*"precision":"([a-z0-9]+)".*/\1/' <<<"$line")
    line=$(/usr/bin/python3 "$peer" train "${common[@]}")
    echo "$line"
    theirs+=("$(sed -E 's/.*"tokens_per_s": ([0-9.]+).*/\1/' <<<"$line")")
  done
  m_ours=$(median "${ours[@]}")
  m_theirs=$(median "${theirs[@]}")
  ratio=$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN {printf "%.2f", a / b}')
  echo "{\"what\": \"train ours vs torch\", \"isa\": \"$isa\", \"precision\": \"$precision\", \"rounds\": $rounds, \"ours_tokens_per_s\": $m_ours, \"torch_tokens_per_s\": $m_theirs, \"ratio\": $ratio, \"cpu\": \"$cpu_model\", \"args\": \"${common[*]}\", \"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
done
