#!/usr/bin/env python3
"""Compares `performance_rnn dump` with midi_notes_reference.py on every .mid under DIRs.

usage: midi_parity_compare.py BINARY REFERENCE_SCRIPT DIR [DIR ...]
The reference's output for a batch is cached beside BINARY (midi_parity_cache/), keyed by
the reference script and the batch's paths, sizes and modification times, so re-runs only
pay for our side; a changed file or script recomputes it.
In batches of files, the reference runs in two processes (both cores) on halves of the
batch; our side runs one dump per batch. Exits 1 listing the first differences of each failing file.
"""
import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys

TOLERANCE = 1e-6  # seconds
BATCH = 100  # files per round


def midi_files(dirs):
    found = []
    for d in dirs:
        for root, _, names in os.walk(d):
            found += [os.path.join(root, n) for n in names if n.lower().endswith(('.mid', '.midi'))]
    return sorted(found)


def run_reference(script, files, cache_dir):
    if not files:
        return []
    key = hashlib.sha1(open(script, 'rb').read())
    for path in files:
        stat = os.stat(path)
        key.update(('%s\0%d\0%d\0' % (path, stat.st_size, stat.st_mtime_ns)).encode())
    cached = os.path.join(cache_dir, key.hexdigest() + '.jsonl')
    if os.path.exists(cached):
        out = open(cached).read()
    else:
        out = subprocess.run(['/usr/bin/python3', script] + files, check=True,
                             capture_output=True, text=True).stdout
        os.makedirs(cache_dir, exist_ok=True)
        with open(cached + '.tmp%d' % os.getpid(), 'w') as f:
            f.write(out)
        os.replace(cached + '.tmp%d' % os.getpid(), cached)
    return [json.loads(line) for line in out.splitlines()]


def run_ours_batch(binary, paths):
    """One dump for the whole batch; per file again if anything failed (to attribute it)."""
    done = subprocess.run([binary, 'dump'] + paths, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != len(paths):
        return [run_ours(binary, p) for p in paths]
    return [json.loads(line) for line in lines]


def run_ours(binary, path):
    done = subprocess.run([binary, 'dump', path], capture_output=True, text=True)
    if done.returncode != 0:
        return {'error': done.stderr.strip()}
    return json.loads(done.stdout)


def note_tuples(sequence):
    return sorted((n.get('pitch', 0), n.get('velocity', 0), n.get('start_time', 0.0),
                   n.get('end_time', 0.0), n.get('program', 0), bool(n.get('is_drum', False)))
                  for n in sequence.get('notes', []))


def compare(ref, ours):
    """Returns a list of differences (empty when they agree)."""
    if 'error' in ours:
        return ['our reader failed: ' + ours['error']]
    problems = []
    if ours.get('ticks_per_quarter', 0) != ref['ticks_per_quarter']:
        problems.append('ticks_per_quarter %s != %s' % (ours.get('ticks_per_quarter'),
                                                        ref['ticks_per_quarter']))
    if abs(ours.get('total_time', 0.0) - ref['total_time']) > TOLERANCE:
        problems.append('total_time %r != %r' % (ours.get('total_time', 0.0), ref['total_time']))
    mine = note_tuples(ours)
    theirs = sorted((n[0], n[1], n[2], n[3], n[4], bool(n[5])) for n in ref['notes'])
    if len(mine) != len(theirs):
        problems.append('%d notes != %d' % (len(mine), len(theirs)))
        return problems
    for a, b in zip(mine, theirs):
        if (a[0], a[1], a[4], a[5]) != (b[0], b[1], b[4], b[5]) or \
                abs(a[2] - b[2]) > TOLERANCE or abs(a[3] - b[3]) > TOLERANCE:
            problems.append('note %r != reference %r' % (a, b))
            if len(problems) > 5:
                break
    return problems


def main():
    binary, script, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    files = midi_files(dirs)
    if not files:
        print('no MIDI files found under', dirs)
        return 1
    cache_dir = os.path.join(os.path.dirname(os.path.abspath(binary)), 'midi_parity_cache')
    failing = 0
    notes = 0
    # Batches keep memory small: the whole set holds 3.6 M notes.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for begin in range(0, len(files), BATCH):
            batch = files[begin:begin + BATCH]
            half = (len(batch) + 1) // 2
            references = [pool.submit(run_reference, script, batch[:half], cache_dir),
                          pool.submit(run_reference, script, batch[half:], cache_dir)]
            ours = run_ours_batch(binary, batch)
            reference = references[0].result() + references[1].result()
            for path, ref, mine in zip(batch, reference, ours):
                assert ref['file'] == path
                problems = compare(ref, mine)
                notes += len(ref['notes'])
                if problems:
                    failing += 1
                    print('MISMATCH', path)
                    for p in problems:
                        print('   ', p)
    print('%d files, %d notes compared; %d files differ' % (len(files), notes, failing))
    return 1 if failing else 0


if __name__ == '__main__':
    sys.exit(main())
