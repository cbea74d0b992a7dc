#!/usr/bin/env bash
# Converter benchmark (issue 2 "Speed"): converts all of ASAP (MIDI + MusicXML) with
# `performance_rnn convert --recursive`, then the MIDI files alone, and runs
# midi_notes_reference.py (note_seq's conventions over mido, one process) on the same MIDI
# files. Prints one JSON object: files/s, MB/s, whole-process wall and CPU times, cores
# used (CPU / wall), and the speed ratio on the MIDI files.
# usage: bench/convert_bench.sh [BINARY] [SHARED_DIR]   (defaults: build/performance_rnn, ../shared)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$root/build/performance_rnn}
shared=${2:-$root/../shared}
# OpenBLAS settings of this machine's environment must not skew either side.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 - "$binary" "$shared" <<'PY'
import json, os, resource, subprocess, sys, tempfile, time

binary, shared = sys.argv[1], sys.argv[2]
asap = os.path.join(shared, 'data', 'asap')
reference = os.path.join(shared, 'peers', 'midi_notes_reference.py')


def timed(command):
    """Whole-process wall and CPU (user + sys) seconds of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(n, command):
    runs = [timed(command) for _ in range(n)]
    return min(runs)


def music_files(folder, extensions):
    found = []
    for dirpath, _, names in os.walk(folder):
        found += [os.path.join(dirpath, n) for n in names if n.lower().endswith(extensions)]
    return sorted(found)


with tempfile.TemporaryDirectory() as work:
    out = os.path.join(work, 'out.tfrecord')
    everything = music_files(asap, ('.mid', '.midi', '.xml', '.musicxml', '.mxl', '.abc'))
    all_bytes = sum(os.path.getsize(f) for f in everything)
    all_wall, all_cpu = best_of(3, [binary, 'convert', '--input_dir=' + asap,
                                    '--output_file=' + out, '--recursive', '--log=ERROR'])
    output_bytes = os.path.getsize(out)

    # The MIDI files alone, as a tree of links, for the comparison with the reference.
    midi = music_files(asap, ('.mid', '.midi'))
    midi_bytes = sum(os.path.getsize(f) for f in midi)
    tree = os.path.join(work, 'asap')
    for f in midi:
        link = os.path.join(tree, os.path.relpath(f, asap))
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(f, link)
    midi_wall, midi_cpu = best_of(3, [binary, 'convert', '--input_dir=' + tree,
                                      '--output_file=' + out, '--recursive', '--log=ERROR'])
    ref_wall, ref_cpu = timed(['/usr/bin/python3', reference] + midi)

mb = 1e6
print(json.dumps({
    'benchmark': 'convert_asap',
    'all_files': {'files': len(everything), 'megabytes': round(all_bytes / mb, 2),
                  'wall_s': round(all_wall, 3), 'cpu_s': round(all_cpu, 3),
                  'cores_used': round(all_cpu / all_wall, 2),
                  'files_per_s': round(len(everything) / all_wall, 1),
                  'mb_per_s': round(all_bytes / mb / all_wall, 1),
                  'output_megabytes': round(output_bytes / mb, 2)},
    'midi_files': {'files': len(midi), 'megabytes': round(midi_bytes / mb, 2),
                   'wall_s': round(midi_wall, 3), 'cpu_s': round(midi_cpu, 3),
                   'cores_used': round(midi_cpu / midi_wall, 2),
                   'files_per_s': round(len(midi) / midi_wall, 1),
                   'mb_per_s': round(midi_bytes / mb / midi_wall, 1)},
    'reference_midi_notes_py': {'wall_s': round(ref_wall, 2), 'cpu_s': round(ref_cpu, 2)},
    'speedup_vs_reference_wall': round(ref_wall / midi_wall, 1),
    'speedup_vs_reference_cpu': round(ref_cpu / midi_cpu, 1),
    'load_average_1min': os.getloadavg()[0],
    'cores': os.cpu_count(),
}, indent=2))
PY
