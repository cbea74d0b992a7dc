#!/usr/bin/env python3
"""Compares the training-loss curves of two `performance_rnn train` logs.

Reads the trainer's summary lines ("step N: loss = X, ...") from each log and prints a
Markdown table: the loss at every --every steps (mean over the summaries of that stretch,
since one batch's loss is noisy) and the relative difference of B to A; then the final
stretch's means. With --svg, also draws both curves as an SVG line plot (no plotting
library needed).

  scripts/compare_loss_curves.py bf16=run_bf16.log fp32=run_fp32.log [--every 100] [--svg F]
"""
import argparse
import re
import sys

from svg_line_plot import line_plot

LINE = re.compile(r'step (\d+): loss = ([0-9.]+)')


def read_curve(path):
    curve = {}
    with open(path) as f:
        for line in f:
            m = LINE.search(line)
            if m:
                curve[int(m.group(1))] = float(m.group(2))
    if not curve:
        sys.exit(f'{path}: no "step N: loss = X" lines')
    return curve


def stretch_means(curve, every, last_step):
    means = {}
    for end in range(every, last_step + 1, every):
        values = [v for s, v in curve.items() if end - every < s <= end]
        if values:
            means[end] = sum(values) / len(values)
    return means


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('runs', nargs=2, help='LABEL=LOG, A then B')
    parser.add_argument('--every', type=int, default=100)
    parser.add_argument('--svg')
    args = parser.parse_args()
    labels, curves = [], {}
    for run in args.runs:
        label, path = run.split('=', 1)
        labels.append(label)
        curves[label] = read_curve(path)
    a, b = labels
    last = min(max(curves[a]), max(curves[b]))
    means = {label: stretch_means(curves[label], args.every, last) for label in labels}
    print(f'| steps | {a} loss | {b} loss | {b} vs {a} |')
    print('|---|---|---|---|')
    for end in sorted(means[a]):
        if end in means[b]:
            va, vb = means[a][end], means[b][end]
            print(f'| {end - args.every + 1}–{end} | {va:.4f} | {vb:.4f} | {100 * (vb - va) / va:+.2f}% |')
    if args.svg:
        line_plot({label: sorted(curve.items()) for label, curve in curves.items()}, args.svg,
                  'training step', 'loss (nats per event)')


if __name__ == '__main__':
    main()
