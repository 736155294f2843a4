"""The line-item table in its styles (grid, zebra, rules, no lines, boxed), its pagination with carried
totals, and the totals block (stacked, with a tax table, or a total bar)."""

from __future__ import annotations

from dataclasses import dataclass

from synth.render.blocks import Frame
from synth.render.pen import Pen, tint
from synth.render.printed import Printed, PrintedLine
from synth.render.style import VendorStyle

WHITE = (1.0, 1.0, 1.0)
LIGHT = (0.75, 0.75, 0.75)
_WIDTHS = {"pos": 24.0, "code": 62.0, "qty": 38.0, "unit": 52.0, "unit_price": 60.0, "vat_rate": 32.0,
           "amount": 64.0}
_RIGHT = frozenset({"qty", "unit_price", "vat_rate", "amount"})


@dataclass(frozen=True)
class Column:
    key: str
    x: float
    width: float

    @property
    def right(self) -> bool:
        return self.key in _RIGHT


def columns(style: VendorStyle, f: Frame) -> list[Column]:
    keys = style.layout.columns
    fixed = sum(_WIDTHS[k] for k in keys if k != "description")
    out, x = [], f.left
    for key in keys:
        width = _WIDTHS.get(key, f.span - fixed)
        out.append(Column(key, x, width))
        x += width
    return out


def row_lines(pen: Pen, line: PrintedLine, cols: list[Column], size: float) -> list[str]:
    """The description on one line if it fits at 6 pt or more, else wrapped onto two."""
    desc = next(c for c in cols if c.key == "description")
    if pen.fit(line.description, size, desc.width - 6) > 6.0 or pen.measure(line.description, 6.0) <= desc.width - 6:
        return [line.description]
    return pen.wrap(line.description, 6.5, desc.width - 6)


def header(pen: Pen, p: Printed, style: VendorStyle, f: Frame, cols: list[Column], y: float) -> float:
    kind, accent, rh = style.layout.table, style.layout.accent, style.layout.row_height
    size = style.layout.font_size
    h = rh + 3
    ink = (0.0, 0.0, 0.0)
    if kind == "zebra":
        pen.box(f.left, y, f.span, h, fill=accent, stroke=None)
        ink = WHITE
    elif kind in ("grid", "boxed"):
        pen.box(f.left, y, f.span, h, fill=tint(accent, 0.82), stroke=accent if kind == "grid" else None, weight=0.5)
    elif kind == "rules":
        pen.rule(f.left, y, f.right, 0.9, accent)
        pen.rule(f.left, y + h, f.right, 0.9, accent)
    labels = {"pos": p.words["pos"], "code": p.words["code"], "description": p.words["description"],
              "qty": p.words["qty"], "unit": p.words["unit"], "unit_price": p.words["unit_price"],
              "vat_rate": p.words["vat_rate"], "amount": p.words["amount"]}
    for col in cols:
        label = labels[col.key]
        x = col.x + col.width - 3 if col.right else col.x + 3
        pen.text(x, y + h * 0.68, label, size - 0.3, bold=True, colour=ink, align="right" if col.right else "left",
                 width=col.width - 5)
    return y + h


def row(pen: Pen, line: PrintedLine, index: int, style: VendorStyle, f: Frame, cols: list[Column], y: float,
        text_rows: list[str]) -> float:
    kind, accent, rh, size = style.layout.table, style.layout.accent, style.layout.row_height, style.layout.font_size
    h = rh * len(text_rows)
    if kind == "zebra" and index % 2:
        pen.box(f.left, y, f.span, h, fill=tint(accent, 0.92), stroke=None)
    values = {"pos": line.pos, "code": line.code, "qty": line.qty, "unit": line.unit, "unit_price": line.unit_price,
              "vat_rate": line.vat_rate, "amount": line.amount}
    base = y + rh * 0.68
    for col in cols:
        if col.key == "description":
            for k, text in enumerate(text_rows):
                pen.text(col.x + 3, base + k * rh, text, size if len(text_rows) == 1 else 6.5, width=col.width - 6)
            continue
        x = col.x + col.width - 3 if col.right else col.x + 3
        pen.text(x, base, values[col.key], size, align="right" if col.right else "left", width=col.width - 5)
    if kind == "grid":
        pen.rule(f.left, y + h, f.right, 0.4, accent)
        for col in cols:
            pen.vline(col.x, y, y + h, 0.4, accent)
        pen.vline(f.right, y, y + h, 0.4, accent)
    elif kind == "rules":
        pen.rule(f.left, y + h, f.right, 0.25, LIGHT)
    return y + h


def carried(pen: Pen, label: str, amount: str, style: VendorStyle, f: Frame, y: float) -> float:
    rh = style.layout.row_height
    pen.rule(f.left, y, f.right, 0.5, style.layout.accent)
    pen.text(f.left + 3, y + rh * 0.7, label, style.layout.font_size, bold=True)
    pen.text(f.right - 3, y + rh * 0.7, amount, style.layout.font_size, bold=True, align="right")
    return y + rh


def close(pen: Pen, style: VendorStyle, f: Frame, top: float, y: float) -> None:
    if style.layout.table == "boxed":
        pen.box(f.left, top, f.span, y - top, stroke=style.layout.accent, weight=0.7)
    elif style.layout.table in ("zebra", "plain"):
        pass
    else:
        pen.rule(f.left, y, f.right, 0.8, style.layout.accent)


def totals_height(p: Printed, style: VendorStyle) -> float:
    n = len(p.tax_rows)
    stack = (2 + n + (1 if n > 1 else 0)) * 13 + 18
    if style.layout.totals == "tax_table":
        return max(stack, (n + 2) * 12 + 18)
    if style.layout.totals == "bar":
        return stack + 16
    return stack


def totals(pen: Pen, p: Printed, style: VendorStyle, f: Frame, y: float) -> float:
    kind, accent = style.layout.totals, style.layout.accent
    size = style.layout.font_size + 0.5
    x_label, x_value = f.right - 250, f.right - 3
    y += 16
    rows: list[tuple[str, str]] = [(p.words["net"], p.net)]
    rows += [(label, tax) for label, _, _, tax in p.tax_rows]
    if len(p.tax_rows) > 1:
        rows.append((p.words["tax_total"], p.tax_total))
    if kind == "tax_table":
        _tax_table(pen, p, style, f, y - 9)
        rows = [(p.words["net"], p.net), (p.words["tax_total"] if len(p.tax_rows) > 1 else p.words["vat"],
                                          p.tax_total)]
    for label, value in rows:
        pen.text(x_label, y, label, size, width=170)
        pen.text(x_value, y, value, size, align="right")
        y += 13
    if kind == "bar":
        pen.box(f.left, y - 6, f.span, 20, fill=accent, stroke=None)
        pen.text(f.left + 8, y + 8, p.total_label, size + 2, bold=True, colour=WHITE)
        pen.text(x_value - 5, y + 8, p.total, size + 2, bold=True, colour=WHITE, align="right")
        return y + 24
    pen.rule(x_label, y - 8, f.right, 0.8, accent)
    pen.text(x_label, y + 4, p.total_label, size + 1.5, bold=True, width=150)
    pen.text(x_value, y + 4, p.total, size + 1.5, bold=True, align="right")
    pen.rule(x_label, y + 8, f.right, 0.8, accent)
    pen.rule(x_label, y + 10, f.right, 0.8, accent)
    return y + 16


def _tax_table(pen: Pen, p: Printed, style: VendorStyle, f: Frame, y: float) -> None:
    accent = style.layout.accent
    xs = [f.left, f.left + 60, f.left + 140, f.left + 220]
    pen.box(f.left, y, 230, 12, fill=tint(accent, 0.82), stroke=None)
    pen.text(xs[0] + 3, y + 9, p.words["vat_rate"], 7.2, bold=True, width=54)
    pen.text(xs[2] - 6, y + 9, p.words["net"], 7.2, bold=True, align="right", width=74)
    pen.text(xs[3] + 6, y + 9, p.words["vat"], 7.2, bold=True, align="right", width=74)
    for i, (_, rate, base, tax) in enumerate(p.tax_rows, start=1):
        row = y + 9 + i * 12
        pen.text(xs[0] + 3, row, rate, 7.5)
        pen.text(xs[2] - 6, row, base, 7.5, align="right")
        pen.text(xs[3] + 6, row, tax, 7.5, align="right")
    if len(p.tax_rows) > 1:
        row = y + 9 + (len(p.tax_rows) + 1) * 12
        pen.rule(f.left, row - 9, f.left + 230, 0.4, accent)
        pen.text(xs[3] + 6, row, p.tax_total, 7.5, bold=True, align="right")
