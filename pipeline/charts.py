"""Small inline-SVG charts for the report: no JavaScript, no fonts or scripts to fetch, so
the page renders the same offline, in a browser, or printed.

Every label passes through `html.escape`: skill names and job titles come from scraped ads."""

from __future__ import annotations

from html import escape

PALETTE = {"bar": "#3b6ea8", "mine": "#2f9e44", "muted": "#c9d3df", "line": "#3b6ea8",
           "accent": "#e8590c", "text": "#1f2933", "grid": "#e4e8ee"}
LINE_COLOURS = ("#3b6ea8", "#e8590c", "#2f9e44", "#9c36b5", "#c92a2a", "#0b7285", "#5c940d", "#862e9c")


def _svg(width: int, height: int, body: str, label: str, name: str) -> str:
    return (f'<svg class="chart chart-{escape(name)}" role="img" aria-label="{escape(label)}" '
            f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def _fit(text: str, width: int) -> str:
    """A label cut to `width` characters with an ellipsis (longer ones ran off the chart)."""
    return text if len(text) <= width else text[:width - 1] + "…"


def bar_chart(rows: list[tuple[str, float]], *, name: str, label: str, highlight: set[str] = frozenset(),
              value_format: str = "{:,.0f}", width: int = 640) -> str:
    """Horizontal bars, longest first as given; `highlight` labels drawn in the second colour."""
    if not rows:
        return '<p class="empty">Nothing to chart yet.</p>'
    bar_h, gap, left, right = 20, 6, 190, 60
    height = len(rows) * (bar_h + gap) + gap
    top = max(v for _, v in rows) or 1
    parts = []
    for i, (text, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1.0, (width - left - right) * value / top)
        colour = PALETTE["mine"] if text in highlight else PALETTE["bar"]
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" font-size="12" '
            f'fill="{PALETTE["text"]}">{escape(_fit(text, 27))}</text>'
            f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
            f'<title>{escape(text)}: {escape(value_format.format(value))}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.72:.1f}" font-size="12" '
            f'fill="{PALETTE["text"]}">{escape(value_format.format(value))}</text>')
    return _svg(width, height, "".join(parts), label, name)


def histogram(values: list[float], *, name: str, label: str, bins: int = 12, marker: float | None = None,
              marker_label: str = "", unit: str = "", width: int = 640, height: int = 220) -> str:
    if not values:
        return '<p class="empty">No pay information in the matching jobs.</p>'
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1
    step = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / step))] += 1
    left, bottom, top_pad = 40, 36, 12
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    tallest = max(counts) or 1
    bw = plot_w / bins
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
             f'stroke="{PALETTE["grid"]}"/>']
    for i, c in enumerate(counts):
        h = plot_h * c / tallest
        x = left + i * bw
        start = lo + i * step
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{bw - 2:.1f}" '
                     f'height="{h:.1f}" fill="{PALETTE["bar"]}"><title>{unit}{start:,.0f}–{unit}'
                     f'{start + step:,.0f}: {c} job(s)</title></rect>')
    for frac in (0, 0.5, 1):
        v = lo + (hi - lo) * frac
        x = left + plot_w * frac
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" '
                     f'fill="{PALETTE["text"]}">{escape(unit)}{v / 1000:,.0f}k</text>')
    parts.append(f'<text x="{left - 6}" y="{top_pad + 10}" font-size="11" text-anchor="end" '
                 f'fill="{PALETTE["text"]}">{tallest}</text>')
    if marker is not None and lo <= marker <= hi:
        x = left + plot_w * (marker - lo) / (hi - lo)
        parts.append(f'<line class="marker" x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{height - bottom}" '
                     f'stroke="{PALETTE["accent"]}" stroke-width="2" stroke-dasharray="4 3"/>'
                     f'<text x="{x + 4:.1f}" y="{top_pad + 10}" font-size="11" fill="{PALETTE["accent"]}">'
                     f'{escape(marker_label)}</text>')
    return _svg(width, height, "".join(parts), label, name)


def line_chart(series: dict[str, list[tuple[str, float]]], *, name: str, label: str,
               width: int = 640, height: int = 240) -> str:
    """One line per series over shared x labels (crawl dates); values are shares 0–1."""
    if not series or len(next(iter(series.values()))) < 2:
        return '<p class="empty">Trends appear after two or more crawls.</p>'
    xs = [x for x, _ in next(iter(series.values()))]
    left, bottom, top_pad, legend_w = 40, 30, 12, 170
    plot_w, plot_h = width - left - legend_w, height - bottom - top_pad
    top = max(v for s in series.values() for _, v in s) or 1
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{left + plot_w}" y2="{height - bottom}" '
             f'stroke="{PALETTE["grid"]}"/>',
             f'<text x="{left - 6}" y="{top_pad + 10}" font-size="11" text-anchor="end" '
             f'fill="{PALETTE["text"]}">{top:.0%}</text>']
    for i, x in enumerate(xs):
        if i in (0, len(xs) - 1):
            px = left + plot_w * i / (len(xs) - 1)
            parts.append(f'<text x="{px:.1f}" y="{height - 10}" font-size="11" text-anchor="middle" '
                         f'fill="{PALETTE["text"]}">{escape(x[:10])}</text>')
    for n, (name_, points) in enumerate(series.items()):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        coords = " ".join(f"{left + plot_w * i / (len(points) - 1):.1f},"
                          f"{height - bottom - plot_h * v / top:.1f}" for i, (_, v) in enumerate(points))
        parts.append(f'<polyline class="series" points="{coords}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"><title>{escape(name_)}</title></polyline>')
        ly = top_pad + 14 * n + 8
        parts.append(f'<rect x="{left + plot_w + 12}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + plot_w + 26}" y="{ly + 1}" font-size="11" '
                     f'fill="{PALETTE["text"]}">{escape(name_[:24])}</text>')
    return _svg(width, height, "".join(parts), label, name)
