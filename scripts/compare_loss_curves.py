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


def svg_plot(curves, path, width=720, height=360, margin=50):
    steps = [s for c in curves.values() for s in c]
    losses = [v for c in curves.values() for v in c.values()]
    x0, x1 = 0, max(steps)
    y0, y1 = min(losses), max(losses)
    sx = lambda s: margin + (s - x0) / (x1 - x0) * (width - 2 * margin)
    sy = lambda v: height - margin - (v - y0) / (y1 - y0) * (height - 2 * margin)
    colours = ['#1f77b4', '#d62728']
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" '
             f'y2="{height - margin}" stroke="black"/>',
             f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
             f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle">training step</text>',
             f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" '
             f'text-anchor="middle">loss (nats per event)</text>']
    for i in range(5):
        v = y0 + (y1 - y0) * i / 4
        parts.append(f'<text x="{margin - 6}" y="{sy(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
        s = x0 + (x1 - x0) * i / 4
        parts.append(f'<text x="{sx(s):.1f}" y="{height - margin + 16}" '
                     f'text-anchor="middle">{s:.0f}</text>')
    for (label, curve), colour, row in zip(curves.items(), colours, range(len(curves))):
        points = ' '.join(f'{sx(s):.1f},{sy(v):.1f}' for s, v in sorted(curve.items()))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="1.2" opacity="0.8"/>')
        parts.append(f'<text x="{width - margin - 60}" y="{margin + 16 * row}" '
                     f'fill="{colour}">{label}</text>')
    parts.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(parts) + '\n')


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
        svg_plot(curves, args.svg)


if __name__ == '__main__':
    main()
