#!/usr/bin/env bash
# `evaluate` speed (issue 11): the shipped model scores 20 held-out ASAP performances (the
# first performance, in sorted order, of each of the first 20 pieces scripts/asap_split.py
# holds out; about 90k scored events) with teacher forcing, once per kernel path.
#   bench/evaluate_bench.sh [BINARY] [SHARED_DIR] [-- extra evaluate flags]
# BINARY defaults to build/performance_rnn, SHARED_DIR to ../shared. PRNN_BENCH_ISAS (default
# "avx512_bf16 avx512 avx2 baseline") lists the levels; a level the CPU lacks prints a
# "skipped" line. Prints one JSON line per level: wall and CPU seconds of the whole process,
# scored events, events per wall second, nll_per_event, CPU model and load average.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$root/build/performance_rnn}
shared=${2:-$root/../shared}
shift $(($# > 2 ? 2 : $#)) || true
[[ "${1:-}" == "--" ]] && shift
exec /usr/bin/python3 - "$binary" "$shared" "$root" "${PRNN_BENCH_ISAS:-avx512_bf16 avx512 avx2 baseline}" "$@" <<'PY'
import json, os, resource, subprocess, sys, tempfile, time

binary, shared, root, isas = sys.argv[1:5]
shared = os.path.abspath(shared)  # the symlinks below must not depend on the working folder
extra = sys.argv[5:]
sys.path.insert(0, os.path.join(root, 'scripts'))
from asap_split import piece_of  # the same piece rule as the shipped model's split

asap = os.path.join(shared, 'data', 'asap')
performances = {}
for dirpath, _, names in os.walk(asap):
    for name in names:
        if name.endswith('.mid') and name != 'midi_score.mid':
            relative = os.path.relpath(os.path.join(dirpath, name), asap)
            performances.setdefault(piece_of(os.path.dirname(relative)), []).append(relative)
pieces = sorted(performances)[5::10][:20]
if len(pieces) < 20:
    sys.exit('evaluate_bench: %s holds %d held-out pieces, 20 needed' % (asap, len(pieces)))
cpu_model = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo')
                  if l.startswith('model name')), 'unknown CPU')
with tempfile.TemporaryDirectory() as folder:
    for i, piece in enumerate(pieces):
        os.symlink(os.path.join(asap, sorted(performances[piece])[0]),
                   os.path.join(folder, '%02d.mid' % i))
    for isa in isas.split():
        command = [binary, 'evaluate', '--input=' + folder, '--isa=' + isa, '--log=WARN'] + extra
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = open('/proc/loadavg').read().split()[:3]
        if run.returncode != 0:
            print(json.dumps({'what': 'evaluate', 'isa': isa, 'skipped': run.stderr.strip(),
                              'cpu': cpu_model}))
            continue
        summary = json.loads(run.stdout.strip().splitlines()[-1])
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(json.dumps({'what': 'evaluate', 'isa': isa, 'files': summary['files'],
                          'events': summary['events'], 'wall_s': round(wall, 2),
                          'cpu_s': round(cpu, 2), 'events_per_s': round(summary['events'] / wall),
                          'nll_per_event': summary['nll_per_event'], 'cpu': cpu_model,
                          'load_average': load}), flush=True)
PY
