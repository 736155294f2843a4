"""Vendor logos drawn with reportlab: a shape in the vendor's colour beside or around its initials."""

from __future__ import annotations

import math

from reportlab.pdfgen.canvas import Canvas

Colour = tuple[float, float, float]


def draw_logo(c: Canvas, x: float, y: float, size: float, shape: str, colour: Colour, initials: str,
              on_dark: bool = False) -> None:
    """``(x, y)`` is the bottom-left corner in PDF coordinates."""
    ink = (1.0, 1.0, 1.0) if on_dark else colour
    c.saveState()
    c.setFillColorRGB(*ink)
    c.setStrokeColorRGB(*ink)
    cx, cy, r = x + size / 2, y + size / 2, size / 2
    text_ink: Colour = colour if on_dark else (1.0, 1.0, 1.0)
    if shape == "circle":
        c.circle(cx, cy, r, stroke=0, fill=1)
    elif shape == "ring":
        c.setLineWidth(size * 0.12)
        c.circle(cx, cy, r * 0.85, stroke=1, fill=0)
        text_ink = ink
    elif shape == "square":
        c.roundRect(x, y, size, size, size * 0.18, stroke=0, fill=1)
    elif shape == "diamond":
        _polygon(c, [(cx, y), (x + size, cy), (cx, y + size), (x, cy)])
    elif shape == "hexagon":
        _polygon(c, [(cx + r * math.cos(math.pi / 3 * k), cy + r * math.sin(math.pi / 3 * k)) for k in range(6)])
    elif shape == "triangle":
        _polygon(c, [(x, y), (x + size, y), (cx, y + size)])
        cy -= size * 0.12
    elif shape == "cross":
        arm = size / 3
        c.rect(x + arm, y, arm, size, stroke=0, fill=1)
        c.rect(x, y + arm, size, arm, stroke=0, fill=1)
        text_ink = ink
        initials = ""
    elif shape == "bars":
        for k in range(4):
            h = size * (0.35 + 0.2 * k)
            c.rect(x + k * size / 4, y, size / 5, h, stroke=0, fill=1)
        initials = ""
    elif shape == "leaf":
        p = c.beginPath()
        p.moveTo(x, y)
        p.curveTo(x, y + size * 0.9, x + size * 0.6, y + size, x + size, y + size)
        p.curveTo(x + size, y + size * 0.2, x + size * 0.5, y, x, y)
        c.drawPath(p, stroke=0, fill=1)
        initials = ""
    elif shape == "wave":
        c.setLineWidth(size * 0.1)
        for k in range(3):
            p = c.beginPath()
            base = y + size * (0.25 + 0.25 * k)
            p.moveTo(x, base)
            p.curveTo(x + size / 3, base + size * 0.2, x + 2 * size / 3, base - size * 0.2, x + size, base)
            c.drawPath(p, stroke=1, fill=0)
        initials = ""
    if initials:
        c.setFillColorRGB(*text_ink)
        font_size = size * (0.42 if len(initials) > 1 else 0.55)
        c.setFont("Helvetica-Bold", font_size)
        c.drawCentredString(cx, cy - font_size * 0.35, initials)
    c.restoreState()


def _polygon(c: Canvas, points: list[tuple[float, float]]) -> None:
    p = c.beginPath()
    p.moveTo(*points[0])
    for point in points[1:]:
        p.lineTo(*point)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
