#!/usr/bin/env python3
"""Models data-parallel training steps over N machines (doc/distributed.md).

Step time = compute of the rank's share of the batch + the gradient allreduce, counted
whole (no overlap: the conservative bound). Ring allreduce: each rank sends and receives
2 (N - 1) / N of the gradient buffer, in 2 (N - 1) messages of latency alpha each:
    t_allreduce = 2 (N - 1) / N * bytes / bandwidth + 2 (N - 1) * alpha
Compute: per_rank_batch * seq / events_per_s (one machine's measured training speed,
assumed the same at smaller per-rank batches, which is optimistic for small batches).
Efficiency = compute / (compute + allreduce) (1.0 = perfect scaling).

Prints Markdown tables: a fixed global batch split over N machines, and the smallest
per-rank batch that keeps efficiency >= --target, with fp32 and bf16 gradients.

  scripts/allreduce_model.py [--bytes 24970768] [--events_per_s 21902] [--seq 512]
                             [--global_batch 64] [--target 0.9]
"""
import argparse
import math

LINKS = [  # (name, bits per second, per-message latency in seconds)
    ('10 Gb/s', 10e9, 25e-6),
    ('100 Gb/s', 100e9, 5e-6),
]
MACHINES = [2, 4, 8, 16, 32, 64]


def allreduce_seconds(n, size, bits_per_s, alpha):
    return 2 * (n - 1) / n * size / (bits_per_s / 8) + 2 * (n - 1) * alpha


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--bytes', type=float, default=24970768)
    p.add_argument('--events_per_s', type=float, default=21902)
    p.add_argument('--seq', type=int, default=512)
    p.add_argument('--global_batch', type=int, default=64)
    p.add_argument('--target', type=float, default=0.9)
    a = p.parse_args()

    print(f'Global batch {a.global_batch} x {a.seq} events split over N machines '
          f'({a.bytes / 1e6:.2f} MB of fp32 gradients, {a.events_per_s:.0f} events/s '
          'per machine):\n')
    print('| link | N | batch per machine | compute ms | allreduce ms fp32 | efficiency fp32 '
          '| allreduce ms bf16 | efficiency bf16 |')
    print('|---|---|---|---|---|---|---|---|')
    for name, bits, alpha in LINKS:
        for n in MACHINES:
            b = a.global_batch / n
            compute = b * a.seq / a.events_per_s
            row = [name, str(n), f'{b:g}', f'{1e3 * compute:.0f}']
            for size in (a.bytes, a.bytes / 2):
                t = allreduce_seconds(n, size, bits, alpha)
                row += [f'{1e3 * t:.1f}', f'{100 * compute / (compute + t):.1f} %']
            print('| ' + ' | '.join(row) + ' |')

    print(f'\nSmallest batch per machine (sequences of {a.seq}) for efficiency >= '
          f'{100 * a.target:.0f} % (global batch = N x this):\n')
    print('| link | N | fp32 gradients | bf16 gradients |')
    print('|---|---|---|---|')
    for name, bits, alpha in LINKS:
        for n in MACHINES:
            row = [name, str(n)]
            for size in (a.bytes, a.bytes / 2):
                t = allreduce_seconds(n, size, bits, alpha)
                # compute / (compute + t) >= target  <=>  compute >= t * target / (1 - target)
                need = t * a.target / (1 - a.target) * a.events_per_s / a.seq
                b = max(1, math.ceil(need))
                row.append(f'{b} (global {b * n})')
            print('| ' + ' | '.join(row) + ' |')


if __name__ == '__main__':
    main()
