"""Line items of a document: from each table header's rows, else from item-like lines without a header.

Tables are found header first (``columns.find_headers``); their rows become items (``rows``, ``items``).
A document with no header row (a receipt, a one-page service bill) falls back to lines that read like
items (text on the left, an amount at the right end, no total or tax label), which need a run of at
least two to count and carry a lower confidence.
"""

from __future__ import annotations

from decimal import Decimal

from extraction.fields.context import DocContext
from extraction.fields.layout import Line
from extraction.lines.columns import Column, TableHeader
from extraction.lines.items import row_item
from extraction.lines.rows import Cell, RawRow, table_rows
from extraction.normalise.amounts import find_amounts
from models.invoice import LineItem

_NOT_ITEMS = frozenset({"net_amount", "total_amount", "tax_amount", "other:charges", "payment_terms", "due_date",
                        "invoice_date", "invoice_number", "vendor_iban", "vendor_vat", "po_number", "currency",
                        "other:customer_number", "other:tax_number", "other:contact", "other:reference"})
_FALLBACK_CONFIDENCE = 0.5
_CENT = Decimal("0.01")
_BREAKDOWN = frozenset({"other:charges", "tax_amount"})


def extract_lines(ctx: DocContext) -> list[LineItem]:
    headers: list[TableHeader] = ctx.table_headers()
    items: list[LineItem] = []
    for i, header in enumerate(headers):
        following = headers[i + 1] if i + 1 < len(headers) else None
        next_y = following.lines[0].y0 if following is not None and following.page == header.page else None
        for row in table_rows(ctx, header, next_y):
            item = row_item(ctx, row, header.columns)
            if item is not None:
                items.append(item)
    if headers:
        return _without_running_totals(items)
    return _headerless(ctx)


def _without_running_totals(items: list[LineItem]) -> list[LineItem]:
    """Drop rows that only repeat the sum of the items above them: the carried-forward line at the
    foot of a page and the brought-forward line at the head of the next ("Übertrag", "Transport",
    "Report", "Carried forward"), or a subtotal printed inside the table. Such a row's figure is the
    running sum and, unlike an item, no quantity times price makes it."""
    kept: list[LineItem] = []
    running = Decimal(0)
    for item in items:
        amount = item.decimal("amount")
        if amount is not None and len(kept) >= 2 and amount == running and not _priced(item, amount):
            continue
        kept.append(item)
        running += amount or Decimal(0)
    return kept


def _priced(item: LineItem, amount: Decimal) -> bool:
    quantity, price = item.decimal("quantity"), item.decimal("unit_price")
    return quantity is not None and price is not None and abs(quantity * price - amount) <= _CENT * max(
        Decimal(1), abs(quantity))


def _headerless(ctx: DocContext) -> list[LineItem]:
    runs: list[list[RawRow]] = [[]]
    for page in ctx.layout.pages:
        for line in page.lines:
            if _breakdown(ctx, line):
                continue  # "Charges $1.87", "VAT $0.00" under an item: part of it, not the end of the run
            row = _item_like(ctx, line)
            if row is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append(row)
    items: list[LineItem] = []
    for run in runs:
        if len(run) < 2:
            continue
        for row in run:
            columns = [Column(c.column, min(w.x0 for w in c.words), max(w.x1 for w in c.words)) for c in row.cells]
            item = row_item(ctx, row, columns)
            if item is not None:
                item.confidence = min(item.confidence, _FALLBACK_CONFIDENCE)
                for f in item.fields.values():
                    object.__setattr__(f, "confidence", item.confidence)
                items.append(item)
    return items


def _breakdown(ctx: DocContext, line: Line) -> bool:
    hits = ctx.hits_in(line.phrases[0])
    return bool(hits) and hits[0].start == 0 and bool(hits[0].fields & _BREAKDOWN) \
        and bool(find_amounts(line.phrases[-1].text, ctx.read.style))


def _item_like(ctx: DocContext, line: Line) -> RawRow | None:
    if len(line.phrases) < 2:
        return None
    first, last = line.phrases[0], line.phrases[-1]
    hits = ctx.hits_in(first)
    if hits and hits[0].start == 0 and hits[0].fields & _NOT_ITEMS:
        return None
    if ctx.section_of(first) is not None:
        return None
    letters = sum(ch.isalpha() for ch in first.text)
    amounts = find_amounts(last.text, ctx.read.style)
    if letters < 3 or not amounts or amounts[-1].decimals != 2 or find_amounts(first.text, ctx.read.style):
        return None
    cells = [Cell("description", list(first.words)), Cell("amount", list(last.words))]
    return RawRow(line.page, [line], cells)
