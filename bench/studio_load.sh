#!/usr/bin/env bash
# The studio under load: for each CPU path and each N, starts `performance_rnn serve`
# (shipped models, --max_clients=N+8, --isa=PATH) on a free loopback port, runs N clients of
# `performance_rnn benchmark studio_load` against it (joining over 2 s, each playing in real
# time at density 8 for SECONDS, reporting every 50 ms, changing a control every 2 s), and
# prints one JSON line per run (the client's JSON plus the path, the server's CPU seconds
# and the load average).
#   bench/studio_load.sh [BINARY] [SECONDS] [N...]
# PRNN_BENCH_ISAS (default "avx512_bf16 avx2") lists the kernel paths (`serve --isa`); a
# path the CPU lacks prints a "skipped" line. PRNN_BENCH_SERVE_FLAGS adds serve flags
# (e.g. "--threads=2"). A run holds when no client underran, every client was served and
# the p99 control latency (control sent → the first event generated under it received) is
# at most 100 ms. On a shared machine, PRNN_BENCH_NICE=-10 runs server and clients at that
# priority (root), so that what is measured is the studio, not the other load: each in a
# session of its own whose scheduler autogroup gets that nice value too (with autogroups,
# as on Debian, a plain nice value only ranks processes within one session).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/performance_rnn}
seconds=${2:-60}
shift 2 || true
sizes=("$@")
((${#sizes[@]})) || sizes=(64 128 192 256)
nice=${PRNN_BENCH_NICE:-0}
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
prioritized() {  # command...: in a session of its own, at the nice value, autogroup too
  # (run in a subshell: `exec` keeps the one pid, so that $! is the command's)
  # shellcheck disable=SC2016
  exec setsid bash -c 'n=$1; shift; if [ "$n" != 0 ] && [ -w /proc/self/autogroup ]; then
    echo "$n" > /proc/self/autogroup; fi; exec nice -n "$n" "$@"' _ "$nice" "$@"
}
run() {  # isa n
  local isa=$1 n=$2 log port="" pid line cpu
  log=$(mktemp)
  # shellcheck disable=SC2086
  (prioritized "$binary" serve --port=0 --max_clients=$((n + 8)) --isa="$isa" \
    --log=ERROR ${PRNN_BENCH_SERVE_FLAGS:-}) > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    port=$(sed -n 's|.*studio: http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.2
  done
  if [ -z "$port" ]; then
    /usr/bin/python3 -c "import json, sys; print(json.dumps({'benchmark': 'studio_load', 'isa': sys.argv[1], 'skipped': sys.argv[2]}))" \
      "$isa" "$(tr '\n' ' ' < "$log")"
    kill "$pid" 2> /dev/null || true
    rm -f "$log"
    return 0
  fi
  line=$( (prioritized "$binary" benchmark studio_load --port="$port" --clients="$n" \
    --seconds="$seconds") || true)
  cpu=$(ps -o times= -p "$pid" | tr -d ' ')
  kill -TERM "$pid"
  wait "$pid" || true
  /usr/bin/python3 -c "import json, sys; d=json.loads(sys.argv[1]); d.update(isa=sys.argv[2], serve_flags=sys.argv[6], server_cpu_s=int(sys.argv[3]), cpu=sys.argv[4], nice=int(sys.argv[5]), load_average=float(open('/proc/loadavg').read().split()[0]), holds=d['clients_with_underrun']==0 and d['clients_never_served']==0 and d['control_latency_ms']['p99']<=100); print(json.dumps(d))" \
    "$line" "$isa" "$cpu" "$cpu_model" "$nice" "${PRNN_BENCH_SERVE_FLAGS:-}"
  rm -f "$log"
}
for isa in ${PRNN_BENCH_ISAS:-avx512_bf16 avx2}; do
  for n in "${sizes[@]}"; do run "$isa" "$n"; done
done
