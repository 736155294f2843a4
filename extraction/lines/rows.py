"""Rows under a table header: which lines start an item, which continue its description, where it ends.

An item starts on a line with a figure in the amount column (or, in a table without one, the unit-price
or quantity column). Lines without one continue the item above (a wrapped description, "Art-Nr: …",
"Lot 2024-11"); lines before the first item are group titles ("--- Food Products ---"). The table ends
at a totals line (``Subtotal``, ``Nettobetrag``, ``Total``), a section heading, a new header, a wide
vertical gap or the end of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extraction.fields.context import DocContext
from extraction.fields.layout import Line
from extraction.lines.columns import FIGURE_COLUMNS, Column, TableHeader
from extraction.normalise.amounts import find_amounts
from models.text import Word

# Lines starting with a label of these fields close the table.
_STOP_FIELDS = frozenset({"net_amount", "total_amount", "tax_amount", "other:charges", "payment_terms",
                          "due_date", "vendor_iban", "currency"})
# Charges billed in the table's own columns (quantity, price, amount) are items; elsewhere they end it.
_CHARGES = frozenset({"other:charges"})
_PRICED = frozenset({"quantity", "unit_price", "amount"})
_ROUNDING = Decimal("0.011")
_MAX_GAP = 5.0  # line heights
_LINES_AFTER_STOP = 2
# Two lines less than this many line heights apart are one table row set on two baselines.
_SAME_ROW = 0.8
# Share of the page's width a row's phrase may start outside the header's span and still be in the table.
_SPAN_SLACK = 0.04


@dataclass
class Cell:
    column: str
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class RawRow:
    page: int
    lines: list[Line]
    cells: list[Cell]
    more: list[Line] = field(default_factory=list)  # continuation lines
    above: list[Line] = field(default_factory=list)  # a vertically centred cell's first line, set higher


def table_rows(ctx: DocContext, header: TableHeader, next_header_y: float | None) -> list[RawRow]:
    page = ctx.layout.page(header.page)
    key = _key_column(header)
    rows: list[RawRow] = []
    last_y = header.y1
    # Lines since a totals line: a group subtotal inside the table is followed by more items, the
    # invoice's totals under it by anything but.
    after_stop: int | None = None
    pending: list[Line] = []  # lines between the header and the first item
    last_header = max(page.lines.index(h) for h in header.lines)
    left, right = _table_span(header, page.width)
    for full in page.lines[last_header + 1:]:
        if next_header_y is not None and full.y0 >= next_header_y - 0.5:
            break
        line = _within(full, left, right)
        if line is None:
            continue  # a sidebar's line beside the table (the vendor's address and bank down the margin)
        if line.y0 - last_y > _MAX_GAP * max(line.height, 6.0) and rows:
            break
        cells = assign_cells(line, header.columns)
        if not _computed_row(ctx, cells) and _stops(ctx, line, _priced_row(cells, header)):
            after_stop = 0
            continue
        if _starts_item(cells, key):
            row = RawRow(page.number, [line], cells)
            # A description printed a little higher than its figures (a cell centred on two lines)
            # belongs to this row, not to the one before it.
            previous = rows[-1].more if rows else pending
            if previous and line.y0 - previous[-1].y0 < _SAME_ROW * max(line.height, 1.0):
                row.above.append(previous.pop())
            rows.append(row)
            last_y = line.y1
            after_stop = None
        elif after_stop is not None:
            after_stop += 1
            if after_stop > _LINES_AFTER_STOP:
                break
        elif rows:
            rows[-1].more.append(line)
            last_y = line.y1
        else:
            pending.append(line)
    return rows


def _table_span(header: TableHeader, page_width: float) -> tuple[float, float]:
    """How far across the page the table runs: its header's words, and a little slack either side."""
    words = [w for line in header.lines for w in line.words]
    titled = [w for w in words if any(c.x0 - 1 <= w.cx <= c.x1 + 1 for c in header.columns)] or words
    slack = _SPAN_SLACK * page_width
    return min(w.x0 for w in titled) - slack, max(w.x1 for w in titled) + slack


def _within(line: Line, left: float, right: float) -> Line | None:
    """The line without the phrases that lie wholly outside the table's span; None when none is left."""
    inside = [p for p in line.phrases if p.x1 > left and p.x0 < right]
    if len(inside) == len(line.phrases):
        return line
    if not inside:
        return None
    clipped = Line(line.page, line.number, [w for p in inside for w in p.words])
    clipped.phrases = inside
    return clipped


def _key_column(header: TableHeader) -> str:
    for name in ("amount", "unit_price", "quantity"):
        if header.column(name) is not None:
            return name
    return "amount"


def _starts_item(cells: list[Cell], key: str) -> bool:
    for cell in cells:
        if cell.column == key:
            amounts = find_amounts(cell.text)
            if amounts and (key != "amount" or amounts[-1].decimals in (2, 3, 4) or _integer_amount(cell)):
                return True
    return False


def _integer_amount(cell: Cell) -> bool:
    text = cell.text.strip("€$£ ")
    return text.isdigit() and len(text) <= 7


def _priced_row(cells: list[Cell], header: TableHeader) -> bool:
    """A row with a figure under the amount column and under the quantity or unit price column too:
    an item however it is worded ("Fracht und Verpackung  1 Stk.  82,00  82,00"), not a totals line."""
    figures = {c.column for c in cells if c.column in _PRICED and find_amounts(c.text)}
    return "amount" in figures and len(figures) >= 2 and len(figures) >= min(2, sum(
        1 for c in header.columns if c.field in _PRICED))


def _computed_row(ctx: DocContext, cells: list[Cell]) -> bool:
    """Quantity times unit price makes the amount: an item whatever its first word ("IVA-1396 …", a
    product code that begins like a tax label), never a totals line."""
    figures: dict[str, Decimal] = {}
    for c in cells:
        if c.column in _PRICED:
            found = find_amounts(c.text, ctx.read.style)
            if found:
                figures[c.column] = found[0].value if c.column == "quantity" else found[-1].value
    if len(figures) < len(_PRICED):
        return False
    quantity, price, amount = figures["quantity"], figures["unit_price"], figures["amount"]
    return amount != 0 and abs(quantity * price - amount) <= _ROUNDING * max(Decimal(1), abs(quantity))


def _stops(ctx: DocContext, line: Line, priced: bool = False) -> bool:
    for k, phrase in enumerate(line.phrases):
        hits = ctx.hits_in(phrase)
        fields = hits[0].fields & _STOP_FIELDS if hits and hits[0].start == 0 else frozenset()
        if priced:
            fields -= _CHARGES  # freight or a fee billed as an item of the table
        if fields:
            # "Total" opening a phrase; not "Total Luftballons" alone as a description.
            rest = phrase.text[hits[0].end:].strip(" :.")
            if not rest or any(ch.isdigit() for ch in rest) or len(line.phrases) > k + 1:
                return True
    first = line.phrases[0]
    return ctx.in_section(first, "vendor") or ctx.in_section(first, "buyer")


def assign_cells(line: Line, columns: list[Column]) -> list[Cell]:
    """Each word to a column: text to the description, figures to the figure column they sit under.

    A phrase is set without a column gap, so once it is in the description it stays there: its words
    run on over the next column's title ("Mullkompressen, 8-fach, steril, 7.5x7.5 cm", "Injektionskanüle,
    21G"), and only a figure printed right under a figure column's title (OCR closing the gap before
    the quantity) leaves it."""
    cells: dict[str, Cell] = {}
    order: list[str] = []
    for phrase in line.phrases:
        in_text = False
        for w in phrase.words:
            if in_text and not (any(ch.isdigit() for ch in w.text) and _under_figure(w, columns)):
                name = "description"
            else:
                name = _column_for(w, columns)
            in_text = name == "description"
            if name not in cells:
                cells[name] = Cell(name, [])
                order.append(name)
            cells[name].words.append(w)
    return [cells[n] for n in order]


def _column_for(w: Word, columns: list[Column]) -> str:
    numeric = any(ch.isdigit() for ch in w.text)
    best, best_score = columns[0], float("-inf")
    for i, c in enumerate(columns):
        left = columns[i - 1].x1 if i > 0 else float("-inf")
        right = columns[i + 1].x0 if i + 1 < len(columns) else float("inf")
        overlap = min(w.x1, c.x1) - max(w.x0, c.x0)
        if overlap > 0:
            score = overlap / max(1.0, w.x1 - w.x0) + 1.0
        elif left < w.cx < right:
            # Between neighbours: nearer edge wins; figures align right, text aligns left.
            edge = abs(w.x1 - c.x1) if numeric else abs(w.x0 - c.x0)
            score = -min(edge, abs(w.cx - c.cx))
        else:
            score = -abs(w.cx - c.cx) - 1000.0
        if score > best_score:
            best, best_score = c, score
    return best.field


def _under_figure(w: Word, columns: list[Column]) -> bool:
    """Whether the word lies (partly) under the title of a figure column (quantity, price, amount...)."""
    return any(c.field in FIGURE_COLUMNS and min(w.x1, c.x1) - max(w.x0, c.x0) > 0 for c in columns)
