"""The parts of an invoice page, each in its layout variants: letterhead, addresses and references,
notes and payment details, footers. Each function draws from ``y`` (points below the top) and
returns where it ended."""

from __future__ import annotations

from dataclasses import dataclass

from synth.render.logo import draw_logo
from synth.render.pen import Pen, tint
from synth.render.printed import Printed
from synth.render.style import VendorStyle

WHITE = (1.0, 1.0, 1.0)
GREY = (0.35, 0.35, 0.35)
SIDEBAR = 172.0


@dataclass(frozen=True)
class Frame:
    """The page's content box."""

    left: float
    right: float
    width: float
    height: float

    @property
    def span(self) -> float:
        return self.right - self.left


def frame_for(style: VendorStyle, width: float, height: float) -> Frame:
    left = SIDEBAR + 20 if style.layout.header == "sidebar" else 48.0
    return Frame(left, width - 44.0, width, height)


def letterhead(pen: Pen, p: Printed, style: VendorStyle, f: Frame) -> float:
    kind, accent = style.layout.header, style.layout.accent
    shape, colour, initials = style.logo_shape, style.logo_colour, p.initials
    top = f.height
    if kind == "logo_left":
        draw_logo(pen.c, f.left, top - 84, 46, shape, colour, initials)
        pen.text(f.left + 58, 52, p.vendor_name, 14, bold=True, colour=accent, width=f.span * 0.55)
        pen.text(f.left + 58, 66, " · ".join(p.vendor_address), 7.5, colour=GREY, width=f.span * 0.55)
        pen.text(f.left + 58, 77, " · ".join(p.vendor_contact), 7.5, colour=GREY, width=f.span * 0.55)
        pen.text(f.left + 58, 88, " · ".join(p.vendor_ids), 7.5, colour=GREY, width=f.span * 0.55)
        return 104.0
    if kind == "logo_right":
        draw_logo(pen.c, f.right - 52, top - 90, 52, shape, colour, initials)
        pen.text(f.left, 50, p.vendor_name, 13, bold=True, colour=accent, width=f.span - 70)
        end = pen.lines(f.left, 64, p.vendor_address + p.vendor_contact[:2], 7.5, 9.5, colour=GREY)
        pen.lines(f.left + 180, 64, p.vendor_ids + p.vendor_contact[2:], 7.5, 9.5, colour=GREY, width=f.span - 260)
        return end + 6
    if kind == "band":
        pen.box(0, 0, f.width, 96, fill=accent, stroke=None)
        draw_logo(pen.c, f.left, top - 74, 48, shape, colour, initials, on_dark=True)
        pen.text(f.left + 60, 48, p.vendor_name, 16, bold=True, colour=WHITE, width=f.span * 0.5)
        pen.text(f.left + 60, 62, " · ".join(p.vendor_address), 7.5, colour=WHITE, width=f.span * 0.5)
        pen.text(f.left + 60, 73, " · ".join(p.vendor_ids), 7.5, colour=WHITE, width=f.span * 0.5)
        pen.lines(f.right, 34, p.vendor_contact, 7.5, 10, colour=WHITE, align="right")
        return 112.0
    if kind == "centered":
        draw_logo(pen.c, f.width / 2 - 20, top - 70, 40, shape, colour, initials)
        pen.text(f.width / 2, 88, p.vendor_name, 15, bold=True, colour=accent, align="center", width=f.span)
        pen.text(f.width / 2, 101, " · ".join(p.vendor_address), 7.5, align="center", colour=GREY, width=f.span)
        pen.text(f.width / 2, 112, " · ".join(p.vendor_contact + p.vendor_ids), 7, align="center", colour=GREY,
                 width=f.span)
        pen.rule(f.left, 120, f.right, 0.8, accent)
        return 130.0
    if kind == "sidebar":
        pen.box(0, 0, SIDEBAR, f.height, fill=tint(accent, 0.86), stroke=None)
        draw_logo(pen.c, 26, top - 90, 50, shape, colour, initials)
        rows = pen.wrap(p.vendor_name, 11, SIDEBAR - 40, bold=True)
        y = pen.lines(26, 118, rows, 11, 13, colour=accent)
        for row in p.vendor_address:
            pen.text(26, y + 6, row, 7.5, width=SIDEBAR - 36)
            y += 10
        y += 8
        for row in p.vendor_contact + p.vendor_ids:
            pen.text(26, y + 6, row, 6.8, width=SIDEBAR - 36, colour=GREY)
            y += 9.5
        if p.bank:
            y += 14
            pen.text(26, y, p.words["payment_details"], 7.5, bold=True, colour=accent)
            for row in p.bank:
                y += 10
                pen.text(26, y, row, 6.8, width=SIDEBAR - 36)
        return 40.0
    # mono: a typewriter letterhead between double rules
    pen.text(f.left, 46, p.vendor_name.upper(), 12, bold=True, width=f.span)
    pen.text(f.left, 59, " - ".join(p.vendor_address), 7.5, width=f.span)
    pen.text(f.left, 70, " - ".join(p.vendor_contact + p.vendor_ids), 6.8, width=f.span)
    pen.rule(f.left, 78, f.right, 0.8)
    pen.rule(f.left, 80.5, f.right, 0.8)
    return 94.0


def addresses(pen: Pen, p: Printed, style: VendorStyle, f: Frame, y: float) -> float:
    kind, accent = style.layout.meta, style.layout.accent
    if kind == "window":
        top = max(y, 128.0)
        pen.text(f.left, top, p.sender_line, 6.2, colour=GREY, width=240)
        pen.rule(f.left, top + 2, f.left + min(240, pen.measure(p.sender_line, 6.2)), 0.3, GREY)
        end = pen.lines(f.left, top + 16, p.buyer, 9.5, 12)
        meta_end = _meta_rows(pen, p, f.right - 215, f.right, top, 8)
        y = max(end, meta_end) + 18
        pen.text(f.left, y, p.title, 14, bold=True, colour=accent)
        y += 16
        if style.layout.intro and p.words["intro"]:
            pen.text(f.left, y, p.words["intro"], 8.5, width=f.span)
            y += 14
        return y
    if kind == "billto_shipto":
        pen.text(f.right, y + 18, p.title, 22, bold=True, colour=accent, align="right")
        box_top = y + 28
        rows = len(p.meta)
        pen.box(f.right - 220, box_top, 220, rows * 12 + 8, stroke=tint(accent, 0.4))
        _meta_rows(pen, p, f.right - 214, f.right - 6, box_top + 12, 8)
        pen.text(f.left, y + 14, p.words["bill_to"], 8.5, bold=True, colour=accent)
        end = pen.lines(f.left, y + 27, p.buyer, 8.5, 11)
        if p.ship_to and f.span > 420:
            pen.text(f.left + 165, y + 14, p.words["ship_to"], 8.5, bold=True, colour=accent)
            end = max(end, pen.lines(f.left + 165, y + 27, p.ship_to, 8.5, 11, width=150))
        return max(end, box_top + rows * 12 + 8) + 18
    if kind == "meta_left":
        pen.text(f.left, y + 20, p.title, 18, bold=True, colour=accent)
        meta_end = _meta_rows(pen, p, f.left, f.left + 230, y + 40, 8.5, align_values="left")
        buyer_x = f.left + max(250.0, f.span * 0.55)
        end = pen.lines(buyer_x, y + 40, p.buyer, 8.5, 11, width=f.right - buyer_x)
        return max(meta_end, end) + 16
    # meta_table: the buyer first, then the references as a one-row table
    end = pen.lines(f.left, y + 14, p.buyer, 9, 11.5)
    if p.ship_to:
        pen.text(f.right - 170, y + 14, p.words["ship_to"], 8, bold=True, colour=accent)
        pen.lines(f.right - 170, y + 26, p.ship_to, 8, 10.5, width=170)
    y = end + 16
    pen.text(f.left, y, p.title, 16, bold=True, colour=accent)
    y += 10
    cells = p.meta[:6]
    width = f.span / max(1, len(cells))
    pen.box(f.left, y, f.span, 30, stroke=accent, weight=0.6)
    pen.box(f.left, y, f.span, 13, fill=tint(accent, 0.82), stroke=None)
    for i, (label, value) in enumerate(cells):
        x = f.left + i * width
        if i:
            pen.vline(x, y, y + 30, 0.4, accent)
        pen.text(x + 4, y + 9.5, label, 7, bold=True, width=width - 8)
        pen.text(x + 4, y + 24, value, 8.5, width=width - 8)
    return y + 44


def _meta_rows(pen: Pen, p: Printed, x_label: float, x_value: float, y: float, size: float,
               align_values: str = "right") -> float:
    for i, (label, value) in enumerate(p.meta):
        row = y + i * (size + 4)
        pen.text(x_label, row, label, size, bold=True)
        if align_values == "right":
            pen.text(x_value, row, value, size, align="right", width=x_value - x_label - 90)
        else:
            pen.text(x_label + 105, row, value, size, width=x_value - x_label - 105)
    return y + len(p.meta) * (size + 4)


def continuation_header(pen: Pen, p: Printed, style: VendorStyle, f: Frame, page: int, pages: int) -> float:
    pen.text(f.left, 40, p.vendor_name, 10, bold=True, colour=style.layout.accent, width=f.span * 0.55)
    ref = f"{p.title if not p.number else p.words['invoice_number'] + ' ' + p.number}"
    pen.text(f.right, 40, f"{ref} · {p.words['page']} {page} {p.words['of']} {pages}", 8, align="right",
             width=f.span * 0.45)
    pen.rule(f.left, 47, f.right, 0.6, style.layout.accent)
    return 62.0


def notes_height(pen: Pen, p: Printed, style: VendorStyle, f: Frame) -> float:
    return len(_notes(pen, p, style, f)) * 10.5 + 14


def _notes(pen: Pen, p: Printed, style: VendorStyle, f: Frame) -> list[tuple[str, bool]]:
    rows: list[tuple[str, bool]] = [(t, False) for t in p.terms]
    for note in p.notes:
        rows.extend((r, False) for r in pen.wrap(note, 7.8, f.span))
    bank_elsewhere = style.layout.footer == "columns" or style.layout.header == "sidebar"
    if p.bank and not bank_elsewhere:
        rows.append((p.words["payment_details"], True))
        rows.append((" · ".join(p.bank), False))
        if p.number:
            rows.append((f"{p.words['reference']}: {p.number}", False))
    rows.append((p.words["thanks"], False))
    if p.words["regards"]:
        rows.append((p.words["regards"], False))
    return rows


def notes(pen: Pen, p: Printed, style: VendorStyle, f: Frame, y: float) -> float:
    rows = _notes(pen, p, style, f)
    if style.layout.footer == "payment_box" and p.bank:
        pen.box(f.left, y - 2, f.span, len(rows) * 10.5 + 8, stroke=tint(style.layout.accent, 0.3), weight=0.6)
    y += 8
    for text, bold in rows:
        pen.text(f.left + 5, y, text, 7.8, bold=bold, width=f.span - 10)
        y += 10.5
    return y


def footer_reserve(style: VendorStyle, last: bool) -> float:
    kind = style.layout.footer
    if kind == "columns":
        return 92.0
    if kind == "remittance" and last:
        return 190.0  # a credit note keeps the space too: its layout is the vendor's, slip or not
    return 46.0


def footer(pen: Pen, p: Printed, style: VendorStyle, f: Frame, page: int, pages: int, last: bool) -> None:
    kind = style.layout.footer
    page_label = f"{p.words['page']} {page} {p.words['of']} {pages}"
    if kind == "columns":
        top = f.height - 78
        pen.rule(f.left, top - 10, f.right, 0.4, GREY)
        width = f.span / 4
        for i, column in enumerate(p.footer_columns):
            # Shrink a line that nearly fits (an IBAN must stay on one line); wrap only prose.
            rows = [r for text in column for r in
                    ([text] if pen.measure(text, 5.2) <= width - 6 else pen.wrap(text, 6.3, width - 6))]
            pen.lines(f.left + i * width, top, rows[:7], 6.3, 8, colour=GREY, width=width - 6)
        pen.text(f.right, f.height - 14, page_label, 6.5, align="right", colour=GREY)
        return
    if kind == "remittance" and last and not p.credit:
        _remittance(pen, p, style, f)
    parts = [p.vendor_name, p.vendor_address[0], p.vendor_address[1], *p.vendor_ids[:1]]
    pen.rule(f.left, f.height - 34, f.right, 0.3, GREY)
    pen.text(f.left, f.height - 24, " · ".join(parts), 6.3, colour=GREY, width=f.span - 70)
    pen.text(f.right, f.height - 24, page_label, 6.5, align="right", colour=GREY)


def _remittance(pen: Pen, p: Printed, style: VendorStyle, f: Frame) -> None:
    top = f.height - 180
    pen.rule(f.left, top, f.right, 0.6, GREY, dash=(4, 3))
    pen.text(f.width / 2, top - 4, p.words["cut"], 6.5, align="center", colour=GREY)
    pen.text(f.left, top + 18, p.words["remittance"], 11, bold=True, colour=style.layout.accent)
    pen.text(f.left, top + 32, p.vendor_name, 8.5, bold=True, width=f.span / 2 - 10)
    pen.lines(f.left, top + 44, p.vendor_address[:2], 8, 10)
    rows = [(label, value) for label, value in p.meta if value]
    rows.append((p.words["amount_due"], p.total))
    x_label, x_value = f.left + f.span / 2, f.right
    pen.box(x_label - 6, top + 8, f.right - x_label + 6, len(rows) * 11 + 10, stroke=GREY)
    for i, (label, value) in enumerate(rows):
        pen.text(x_label, top + 20 + i * 11, label, 7.8, bold=True)
        pen.text(x_value - 6, top + 20 + i * 11, value, 7.8, align="right", width=f.span / 2 - 110)
    if p.bank:
        pen.lines(f.left, top + 72, p.bank, 7.2, 9.5, width=f.span / 2 - 16)
