#!/usr/bin/env python3
"""Draws the shipped models' eval NLL against events trained (doc/eval_curve.svg).

Reads doc/eval_curve.csv (model, step, nll_disabled, nll_enabled; '#' lines are comments).
A conditioned model's steps continue from the model it warm-started from (--warm_start
MODEL=STEP). Events trained = steps x --events_per_step (batch 16 x the mean window, 498
events, measured over the conditioned run: 10.70 M events in 1,343 steps).

  scripts/plot_eval_curve.py doc/eval_curve.csv doc/eval_curve.svg
"""
import argparse
import csv

from svg_line_plot import line_plot

CONDITIONED = 'optional_multiconditioned_performance_with_dynamics'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('csv')
    parser.add_argument('svg')
    parser.add_argument('--events_per_step', type=float, default=16 * 498)
    parser.add_argument('--warm_start', default=f'{CONDITIONED}=5638')
    parser.add_argument('--target', type=float, default=2.6)
    args = parser.parse_args()
    warm_model, warm_step = args.warm_start.split('=')
    with open(args.csv) as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith('#')))
    series = {}
    for row in rows:
        offset = int(warm_step) if row['model'] == warm_model else 0
        millions = (int(row['step']) + offset) * args.events_per_step / 1e6
        columns = [('nll_disabled', 'conditioning disabled'), ('nll_enabled', 'conditioning enabled')]
        for column, what in columns:
            if row[column]:
                label = row['model'] if row['model'] != warm_model else f'conditioned, {what}'
                series.setdefault(label, []).append((millions, float(row[column])))
    line_plot(series, args.svg, 'events trained (millions)', 'eval NLL (nats per event)',
              reference_lines=[(f'target {args.target}', args.target)], markers=True)


if __name__ == '__main__':
    main()
