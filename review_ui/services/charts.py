"""Small charts drawn on the server as SVG: no JavaScript, no library, readable without colour."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup

PALETTE = ("#2f6f9f", "#6aa84f", "#e69138", "#cc4125")


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def hbar(items: Sequence[tuple[str, float, str]], *, width: int = 460, title: str) -> Markup:
    """Horizontal bars: (label, value 0..max, value as text)."""
    if not items:
        return Markup(f'<p class="muted">{escape(title)}: nothing in this period.</p>')
    row, label_w = 22, 190
    height = row * len(items) + 10
    top = max(v for _, v, _ in items) or 1.0
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
             f"<title>{escape(title)}</title>"]
    for i, (label, value, text) in enumerate(items):
        y = 5 + i * row
        w = max(1.0, (width - label_w - 100) * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="lbl">{escape(label[:28])}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{_num(w)}" height="{row - 8}" fill="{PALETTE[0]}"/>'
                     f'<text x="{_num(label_w + w + 6)}" y="{y + 14}" class="val">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_columns(days: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], *, title: str,
                    width: int = 640, height: int = 180) -> Markup:
    """Columns per day, each stacked from its series (e.g. touchless, reviewed, other)."""
    if not days:
        return Markup(f'<p class="muted">{escape(title)}: no days in this period.</p>')
    left, bottom, top_pad = 34, 22, 8
    plot_h = height - bottom - top_pad
    top = max((sum(v) for _, v in days), default=0) or 1
    step = (width - left - 4) / len(days)
    bar = max(1.0, step * 0.75)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 18}" role="img" aria-label="{escape(title)}">'
             f"<title>{escape(title)}</title>",
             f'<text x="{left - 4}" y="{top_pad + 8}" text-anchor="end" class="val">{top}</text>'
             f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" class="val">0</text>'
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" class="axis"/>']
    label_every = max(1, len(days) // 8)
    for i, (label, values) in enumerate(days):
        x = left + i * step
        y = float(height - bottom)
        for k, v in enumerate(values):
            h = plot_h * v / top
            if h > 0:
                y -= h
                parts.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar)}" height="{_num(h)}" '
                             f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)} {escape(series[k])}: '
                             f"{v}</title></rect>")
        if i % label_every == 0:
            parts.append(f'<text x="{_num(x)}" y="{height - 6}" class="val">{escape(label)}</text>')
    for k, name in enumerate(series):
        parts.append(f'<rect x="{left + k * 150}" y="{height + 6}" width="10" height="10" '
                     f'fill="{PALETTE[k % len(PALETTE)]}"/><text x="{left + 14 + k * 150}" y="{height + 15}" '
                     f'class="val">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
