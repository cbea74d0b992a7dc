"""A line plot as a standalone SVG file, with no plotting library.

line_plot(series, path, x_label, y_label): series maps a label to a list of (x, y) points
(drawn in label order, each in its own colour, with a legend); an optional list of
(label, y) reference lines is drawn dashed across the plot. Axes get round tick values.
"""

import math

COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e']


def nice_ticks(low, high, count=7):
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering [low, high]."""
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def line_plot(series, path, x_label, y_label, reference_lines=(), width=720, height=360,
              margin=50, markers=False):
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points] + [y for _, y in reference_lines]
    x0, x1 = min(0, min(xs)), max(xs)
    y0, y1 = min(ys), max(ys)
    pad = (y1 - y0) * 0.05 or 1
    y0, y1 = y0 - pad, y1 + pad
    sx = lambda x: margin + (x - x0) / (x1 - x0) * (width - 2 * margin)
    sy = lambda y: height - margin - (y - y0) / (y1 - y0) * (height - 2 * margin)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" '
             f'y2="{height - margin}" stroke="black"/>',
             f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
             f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle">{x_label}</text>',
             f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" '
             f'text-anchor="middle">{y_label}</text>']
    for y in nice_ticks(y0, y1):
        parts.append(f'<text x="{margin - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for x in nice_ticks(x0, x1):
        parts.append(f'<text x="{sx(x):.1f}" y="{height - margin + 16}" '
                     f'text-anchor="middle">{x:g}</text>')
    for label, y in reference_lines:
        parts.append(f'<line x1="{margin}" y1="{sy(y):.1f}" x2="{width - margin}" y2="{sy(y):.1f}" '
                     f'stroke="gray" stroke-dasharray="6,4"/>')
        parts.append(f'<text x="{width - margin - 4}" y="{sy(y) - 4:.1f}" text-anchor="end" '
                     f'fill="gray">{label}</text>')
    for row, ((label, points), colour) in enumerate(zip(series.items(), COLOURS)):
        coords = [(sx(x), sy(y)) for x, y in sorted(points)]
        parts.append('<polyline points="' + ' '.join(f'{x:.1f},{y:.1f}' for x, y in coords) +
                     f'" fill="none" stroke="{colour}" stroke-width="1.4" opacity="0.85"/>')
        if markers:
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in coords]
        parts.append(f'<text x="{width - margin - 4}" y="{margin + 16 * row}" text-anchor="end" '
                     f'fill="{colour}">{label}</text>')
    parts.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(parts) + '\n')
