#!/usr/bin/env bash
# The studio under load: for each CPU path and each N, starts `performance_rnn serve`
# (shipped model, --max_clients=N+8) on a free loopback port, runs N clients of
# `performance_rnn benchmark studio_load` against it (each playing in real time at
# density 8 for SECONDS, reporting every 50 ms, changing a control every 2 s), and prints
# one JSON line per run (the client's JSON plus the path, the server's CPU seconds).
#   bench/studio_load.sh [BINARY] [SECONDS] [N...]
# Paths: bf16 (AVX512-BF16 kernels, where the CPU has them) and fp32 (--precision=fp32,
# oneDNN limited to AVX2 with ONEDNN_MAX_CPU_ISA=AVX2: the path of CPUs without AVX512).
# A run holds when no client underran and the p99 control latency is at most 100 ms.
# On a shared machine, PRNN_BENCH_NICE=-10 runs server and clients at that priority (root),
# so that what is measured is the studio, not the other load (the JSON says which).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/performance_rnn}
seconds=${2:-60}
shift 2 || true
sizes=("$@")
((${#sizes[@]})) || sizes=(64 128 192 256)
run() {  # path n
  local path=$1 n=$2 log port pid line precision=auto
  log=$(mktemp)
  [ "$path" = fp32 ] && precision=fp32
  ONEDNN_MAX_CPU_ISA=$([ "$path" = fp32 ] && echo AVX2 || echo ALL) \
    nice -n "${PRNN_BENCH_NICE:-0}" "$binary" serve --port=0 --max_clients=$((n + 8)) \
    --precision=$precision --log=ERROR > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    port=$(sed -n 's|.*studio: http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log")
    [ -n "$port" ] && break
    sleep 0.2
  done
  [ -n "$port" ] || { cat "$log"; kill "$pid"; return 1; }
  line=$(nice -n "${PRNN_BENCH_NICE:-0}" "$binary" benchmark studio_load --port="$port" --clients="$n" --seconds="$seconds" || true)
  local cpu
  cpu=$(ps -o times= -p "$pid" | tr -d ' ')
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$log"
  /usr/bin/python3 -c "import json,sys; d=json.loads(sys.argv[1]); d.update(path=sys.argv[2], server_cpu_s=int(sys.argv[3]), cpu=sys.argv[4], nice=int(sys.argv[5]), load_average=float(open('/proc/loadavg').read().split()[0]), holds=d['clients_with_underrun']==0 and d['clients_never_served']==0 and d['control_latency_ms']['p99']<=100); print(json.dumps(d))" \
    "$line" "$path" "$cpu" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "${PRNN_BENCH_NICE:-0}"
}
for path in bf16 fp32; do
  for n in "${sizes[@]}"; do run "$path" "$n"; done
done
