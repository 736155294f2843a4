"""Rows under a table header: which lines start an item, which continue its description, where it ends.

An item starts on a line with a figure in the amount column (or, in a table without one, the unit-price
or quantity column). Lines without one continue the item above (a wrapped description, "Art-Nr: …",
"Lot 2024-11"); lines before the first item are group titles ("--- Food Products ---"). The table ends
at a totals line (``Subtotal``, ``Nettobetrag``, ``Total``), a section heading, a new header, a wide
vertical gap or the end of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extraction.fields.context import DocContext
from extraction.fields.layout import Line
from extraction.lines.columns import Column, TableHeader
from extraction.normalise.amounts import find_amounts
from models.text import Word

# Lines starting with a label of these fields close the table.
_STOP_FIELDS = frozenset({"net_amount", "total_amount", "tax_amount", "other:charges", "payment_terms",
                          "due_date", "vendor_iban", "currency"})
_MAX_GAP = 5.0  # line heights
_LINES_AFTER_STOP = 2
# Two lines less than this many line heights apart are one table row set on two baselines.
_SAME_ROW = 0.8


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
    for line in page.lines[last_header + 1:]:
        if next_header_y is not None and line.y0 >= next_header_y - 0.5:
            break
        if line.y0 - last_y > _MAX_GAP * max(line.height, 6.0) and rows:
            break
        if _stops(ctx, line):
            after_stop = 0
            continue
        cells = assign_cells(line, header.columns)
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


def _stops(ctx: DocContext, line: Line) -> bool:
    for k, phrase in enumerate(line.phrases):
        hits = ctx.hits_in(phrase)
        if hits and hits[0].start == 0 and hits[0].fields & _STOP_FIELDS:
            # "Total" opening a phrase; not "Total Luftballons" alone as a description.
            rest = phrase.text[hits[0].end:].strip(" :.")
            if not rest or any(ch.isdigit() for ch in rest) or len(line.phrases) > k + 1:
                return True
    first = line.phrases[0]
    return ctx.in_section(first, "vendor") or ctx.in_section(first, "buyer")


def assign_cells(line: Line, columns: list[Column]) -> list[Cell]:
    """Each word to a column: text to the description, figures to the figure column they sit under."""
    cells: dict[str, Cell] = {}
    order: list[str] = []
    for phrase in line.phrases:
        first = _column_for(phrase.words[0], columns)
        for w in phrase.words:
            # A description running on over the next column's title stays one description.
            text_run = first == "description" and not any(ch.isdigit() for ch in w.text)
            name = "description" if text_run else _column_for(w, columns)
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
