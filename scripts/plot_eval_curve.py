#!/usr/bin/env python3
"""Draws the shipped models' eval NLL against events trained (doc/eval_curve.svg).

Reads doc/eval_curve.csv (model, step, events_millions, nll_disabled, nll_enabled; '#'
lines are comments): one series per model and, for an optionally conditioned model, one
per conditioning mode; a dashed line marks the target.

  scripts/plot_eval_curve.py doc/eval_curve.csv doc/eval_curve.svg [--target 2.6]
"""
import argparse
import csv

from svg_line_plot import line_plot

COLUMNS = [('nll_disabled', 'conditioning disabled'), ('nll_enabled', 'conditioning enabled')]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('csv')
    parser.add_argument('svg')
    parser.add_argument('--target', type=float, default=2.6)
    args = parser.parse_args()
    with open(args.csv) as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith('#')))
    conditioned = {row['model'] for row in rows if row['nll_enabled']}
    series = {}
    for row in rows:
        for column, mode in COLUMNS:
            if row[column]:
                label = f"{row['model']}, {mode}" if row['model'] in conditioned else row['model']
                series.setdefault(label, []).append((float(row['events_millions']), float(row[column])))
    line_plot(series, args.svg, 'events trained (millions)', 'eval NLL (nats per event)',
              reference_lines=[(f'target {args.target}', args.target)], markers=True)


if __name__ == '__main__':
    main()
