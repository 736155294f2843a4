"""A digital invoice PDF: the vendor's layout filled with the document, over as many pages as its lines
need, with carried totals at each page break.

Output is byte-identical for the same document: reportlab runs in invariant mode, and the PDF's
creation date is the invoice date (through ``SOURCE_DATE_EPOCH``, reportlab's reproducible-build hook),
not the clock.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from synth.document import InvoiceDoc
from synth.render import blocks, table
from synth.render.blocks import Frame
from synth.render.pen import Pen
from synth.render.printed import Printed, printed
from synth.render.style import VendorStyle


@contextmanager
def fixed_clock(epoch: int) -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def document_epoch(doc: InvoiceDoc) -> int:
    """The PDF's creation time: the invoice date (without one, the day its payment terms start)."""
    if doc.issue_date:
        day = doc.issue_date
    elif doc.due_date:
        day = doc.due_date - timedelta(days=doc.vendor.payment_days)
    else:
        day = date(2025, 1, 1)
    return int(datetime.combine(day, time(9, 30), tzinfo=UTC).timestamp())


def render_pdf(doc: InvoiceDoc, style: VendorStyle) -> bytes:
    size = LETTER if style.letter_paper else A4
    buffer = io.BytesIO()
    with fixed_clock(document_epoch(doc)):
        canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
        p = printed(doc, style)
        canvas.setTitle(f"{p.title} {p.number or ''}".strip())
        canvas.setAuthor(doc.vendor_name)
        canvas.setCreator(f"{doc.vendor.brand} billing")
        canvas.setSubject(p.title)
        _draw(canvas, p, style, float(size[0]), float(size[1]))
        canvas.save()
    return buffer.getvalue()


def _draw(canvas: Canvas, p: Printed, style: VendorStyle, width: float, height: float) -> None:
    f = blocks.frame_for(style, width, height)
    # A dry run on a scratch canvas measures where the first page's table starts.
    scratch = Pen(Canvas(io.BytesIO(), pagesize=(width, height), invariant=1), width, height, style.layout.font)
    cols = table.columns(style, f)
    first_top = blocks.addresses(scratch, p, style, f, blocks.letterhead(scratch, p, style, f))
    rows = [table.row_lines(scratch, line, cols, style.layout.font_size) for line in p.lines]
    pages = _paginate(scratch, p, style, f, first_top, rows)
    running = 0
    amounts = [_amount(line.amount) for line in p.lines]
    for number, (start, end) in enumerate(pages, start=1):
        pen = Pen(canvas, width, height, style.layout.font)
        last = number == len(pages)
        if number == 1:
            y = blocks.addresses(pen, p, style, f, blocks.letterhead(pen, p, style, f))
        else:
            if style.layout.header == "sidebar":
                blocks.letterhead(pen, p, style, f)
            y = blocks.continuation_header(pen, p, style, f, number, len(pages))
        top = y
        y = table.header(pen, p, style, f, cols, y)
        if number > 1:
            y = table.carried(pen, p.words["brought"], p.locale.money(_dec(running)), style, f, y)
        for i in range(start, end):
            y = table.row(pen, p.lines[i], i, style, f, cols, y, rows[i])
            running += amounts[i]
        if not last:
            y = table.carried(pen, p.words["carried"], p.locale.money(_dec(running)), style, f, y)
            pen.text(f.right, y + 12, p.words["continued"], 7, align="right")
        table.close(pen, style, f, top, y)
        if last:
            y = table.totals(pen, p, style, f, y)
            blocks.notes(pen, p, style, f, y + 6)
        blocks.footer(pen, p, style, f, number, len(pages), last)
        canvas.showPage()


def _paginate(pen: Pen, p: Printed, style: VendorStyle, f: Frame, first_top: float,
              rows: list[list[str]]) -> list[tuple[int, int]]:
    rh = style.layout.row_height
    head = rh + 3
    tail = table.totals_height(p, style) + blocks.notes_height(pen, p, style, f) + 8
    heights = [rh * len(r) for r in rows]
    pages: list[tuple[int, int]] = []
    start, page = 0, 1
    while True:
        top = first_top if page == 1 else 62.0
        floor_last = f.height - blocks.footer_reserve(style, last=True)
        floor_more = f.height - blocks.footer_reserve(style, last=False)
        y = top + head + (rh if page > 1 else 0)
        # Does everything left fit on this page, totals included?
        rest = sum(heights[start:])
        if y + rest + tail <= floor_last:
            pages.append((start, len(rows)))
            return pages
        end = start
        while end < len(rows) and y + heights[end] + rh <= floor_more:
            y += heights[end]
            end += 1
        if end == len(rows):
            # All rows fit but the totals do not: move the last row over with them.
            end = max(start + 1, end - 1) if end - start > 1 else end
            if end == len(rows):
                pages.append((start, end))
                pages.append((end, end))
                return pages
        pages.append((start, max(end, start + 1)))
        start = max(end, start + 1)
        page += 1


def _amount(text: str) -> int:
    """A printed amount back to cents, for the running total (the amounts are the page's own)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    negative = text.strip().startswith("-")
    return -int(digits) if negative else int(digits)


def _dec(cents: int) -> Decimal:
    return Decimal(cents) / 100
