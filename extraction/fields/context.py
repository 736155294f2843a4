"""What every field rule reads about one document: its layout, labels, sections, number and date styles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from extraction.fields.entities import Entity, find_entities
from extraction.fields.labels import LabelHit, find_labels, find_sections
from extraction.fields.language import detect_language
from extraction.fields.layout import Layout, Line, Phrase
from extraction.fields.values import ReadContext
from extraction.normalise.amounts import AmountMatch, AmountStyle, find_amounts, infer_amount_style
from extraction.normalise.dates import DateMatch, DateOrder, find_dates, infer_date_order

# A section heading governs the block under it: this many of its lines, at most.
_SECTION_LINES = 16


@dataclass(frozen=True)
class SectionBlock:
    kind: str  # vendor | buyer
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    heading: Phrase

    def contains(self, phrase: Phrase) -> bool:
        return (phrase.page == self.page and self.y0 - 1 <= phrase.y0 <= self.y1
                and phrase.x0 >= self.x0 - 4 and phrase.x0 < self.x1)


# Dollars as money: "$12.50", "$ 1,234.00" or USD (not a "$" an OCR made of an S in "C$00010527").
_DOLLARS = re.compile(r"\$\s?\d[\d,]*\.\d{2}\b|\bUSD\b")


def american_money(texts: list[str]) -> bool:
    return any(_DOLLARS.search(t) for t in texts)


def amount_style(layout: Layout, texts: list[str]) -> AmountStyle:
    """``infer_amount_style`` of the layout's line ``texts``, once per layout: a hybrid's page check and its
    field reading both ask."""
    style = layout.derived.get("amount_style")
    if style is None:
        style = layout.derived["amount_style"] = infer_amount_style(texts)
    return style


def date_order(layout: Layout, texts: list[str], default: DateOrder) -> DateOrder:
    """``infer_date_order`` of the layout's line ``texts`` with that default, once per layout."""
    key = f"date_order/{default}"
    order = layout.derived.get(key)
    if order is None:
        order = layout.derived[key] = infer_date_order(texts, default)
    return order


class DocContext:
    def __init__(self, layout: Layout, *, sender: str | None = None) -> None:
        self.layout = layout
        # The address the document was mailed from: its domain names the vendor as a web address would.
        self.sender = sender
        self._phrases: list[Phrase] = list(layout.phrases())
        self._order = {id(p): i for i, p in enumerate(self._phrases)}
        self._line_of: dict[int, Line] = {}
        self._line_index: dict[int, tuple[int, int]] = {}
        for pi, page in enumerate(layout.pages):
            for li, line in enumerate(page.lines):
                self._line_index[id(line)] = (pi, li)
                for p in line.phrases:
                    self._line_of[id(p)] = line
        self._hits: dict[int, list[LabelHit]] = {id(p): find_labels(p) for p in self._phrases}
        texts = [line.text for line in layout.lines()]
        style = amount_style(layout, texts)
        langs = [lb.lang for hits in self._hits.values() for h in hits for lb in h.labels[:1]]
        self.language = detect_language(texts, langs)
        self.read = ReadContext(style, date_order(layout, texts, self._default_order(texts)))
        pages = [p.number for p in layout.pages]
        self.first_page = min(pages) if pages else 1
        self.last_page = max(pages) if pages else 1
        self._amounts: dict[int, list[AmountMatch]] = {}
        self._dates: dict[int, list[DateMatch]] = {}
        self._entities: dict[int, list[Entity]] = {}
        self._table_headers: list[Any] | None = None
        self._table_header_lines: set[int] = set()
        self._section_cache: dict[int, list[SectionBlock]] = {}
        self.sections: list[SectionBlock] = []
        self.sections = self._find_sections()

    def _default_order(self, texts: list[str]) -> DateOrder:
        # Month-first is a US habit: English text and dollars together, nothing else settled it.
        return DateOrder.MDY if self.language == "en" and american_money(texts) else DateOrder.DMY

    @property
    def phrases(self) -> list[Phrase]:
        return self._phrases

    @property
    def known_phrases(self) -> dict[int, Line]:
        """Phrases of the layout (not sub-phrases cut from them), by id, with their line."""
        return self._line_of

    def label_hits(self) -> Iterator[LabelHit]:
        for p in self._phrases:
            yield from self._hits[id(p)]

    def hits_in(self, phrase: Phrase) -> list[LabelHit]:
        hits = self._hits.get(id(phrase))
        if hits is None:
            hits = find_labels(phrase)
            self._hits[id(phrase)] = hits
        return hits

    def amounts(self, phrase: Phrase) -> list[AmountMatch]:
        """The phrase's amounts in the document's style, read once per document."""
        found = self._amounts.get(id(phrase))
        if found is None:
            found = find_amounts(phrase.text, self.read.style)
            self._amounts[id(phrase)] = found
        return found

    def dates(self, phrase: Phrase) -> list[DateMatch]:
        found = self._dates.get(id(phrase))
        if found is None:
            found = find_dates(phrase.text, self.read.order)
            self._dates[id(phrase)] = found
        return found

    def entities(self, phrase: Phrase) -> list[Entity]:
        found = self._entities.get(id(phrase))
        if found is None:
            found = find_entities(phrase.text)
            self._entities[id(phrase)] = found
        return found

    def order_of(self, phrase: Phrase) -> int:
        return self._order.get(id(phrase), 0)

    def line_of(self, phrase: Phrase) -> Line:
        return self._line_of[id(phrase)]

    def right_of(self, phrase: Phrase, max_share: float = 0.75) -> Phrase | None:
        line = self._line_of.get(id(phrase))
        if line is None:
            return None
        idx = next((i for i, p in enumerate(line.phrases) if p is phrase), -1)
        if 0 <= idx < len(line.phrases) - 1:
            right = line.phrases[idx + 1]
            page = self.layout.page(phrase.page)
            if right.x0 - phrase.x1 < max_share * page.width:
                return right
        return None

    def lines_below(self, line: Line, count: int) -> list[Line]:
        pi, li = self._line_index[id(line)]
        lines = self.layout.pages[pi].lines
        return lines[li + 1:li + 1 + count]

    def lines_above(self, line: Line, count: int) -> list[Line]:
        pi, li = self._line_index[id(line)]
        lines = self.layout.pages[pi].lines
        return list(reversed(lines[max(0, li - count):li]))

    def table_headers(self) -> list[Any]:
        """The line-item tables' header rows (``lines.columns.TableHeader``), found once per document."""
        if self._table_headers is None:
            from extraction.lines.columns import find_headers

            self._table_headers = find_headers(self)
            self._table_header_lines = {id(line) for h in self._table_headers for line in h.lines}
        return self._table_headers

    def is_table_header(self, phrase: Phrase) -> bool:
        """Whether the phrase is on a line-item table's header row (its words are column titles)."""
        self.table_headers()
        line = self._line_of.get(id(phrase))
        return line is not None and id(line) in self._table_header_lines

    def in_section(self, phrase: Phrase, kind: str) -> bool:
        return any(s.kind == kind for s in self._sections_of(phrase))

    def section_of(self, phrase: Phrase) -> SectionBlock | None:
        inside = self._sections_of(phrase)
        # The nearest heading above governs (a buyer block may follow a vendor block in one column).
        return max(inside, key=lambda s: s.y0) if inside else None

    def _sections_of(self, phrase: Phrase) -> list[SectionBlock]:
        if not self.sections:
            return []
        found = self._section_cache.get(id(phrase))
        if found is None:
            found = [s for s in self.sections if s.contains(phrase)]
            self._section_cache[id(phrase)] = found
        return found

    def _find_sections(self) -> list[SectionBlock]:
        headings: list[tuple[str, Phrase]] = []
        self.table_headers()
        for p in self._phrases:
            if len(self.line_of(p).phrases) >= 4 or id(self.line_of(p)) in self._table_header_lines:
                continue  # "Klant  Order  Factuur datum  Vervaldatum": column titles, not a block's heading
            for h in find_sections(p):
                rest = p.text[h.end:].strip()
                if not rest or rest.startswith(":") or (h.labels[0].field == "buyer" and rest[:1] in "/-"):
                    headings.append((h.labels[0].field, p))
                    break
        heading_ids = {id(p) for _, p in headings}
        blocks: list[SectionBlock] = []
        for kind, p in headings:
            page = self.layout.page(p.page)
            line = self.line_of(p)
            x1 = max(p.x1, p.x0 + 0.42 * page.width)
            for _, q in headings:
                # A heading to the right on the same line bounds this block's width.
                if q is not p and q.page == p.page and abs(q.y0 - p.y0) < line.height and q.x0 > p.x0:
                    x1 = min(x1, q.x0 - 1)
            y1 = line.y1
            prev = line
            for below in self.lines_below(line, _SECTION_LINES):
                if below.y0 - prev.y1 > 2.2 * max(prev.height, 4.0) or id(below) in self._table_header_lines:
                    break
                if any(id(q) in heading_ids and q.x0 < x1 and q.x1 > p.x0 - 4 for q in below.phrases):
                    break
                y1, prev = below.y1, below
            if kind != "other":
                blocks.append(SectionBlock(kind, p.page, p.x0, x1, p.y0, y1, p))
        return blocks
