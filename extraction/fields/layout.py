"""Words into lines and phrases: the geometry every rule reads.

A *line* is the words sharing a baseline band; a *phrase* is a run of words on a line without a column
gap, so ``Invoice Number:        42183017`` is two phrases and ``Rechnungsnr. 30064443`` is one. Each
phrase keeps the character offset of every word, so a match in its text maps back to a box.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from extraction.normalise.text import fold
from models.invoice import BBox
from models.text import PageText, Word

# A gap wider than this many line heights starts a new phrase (a space is about a quarter of one).
_PHRASE_GAP = 0.9
# Two words share a line when their vertical overlap is at least this share of the shorter word.
_LINE_OVERLAP = 0.5
_OCR_FIX = {"!": "l", "|": "l", "1": "l", "0": "o", "5": "s", "$": "s"}
_OCR_LETTERS = re.compile(r"(?<=[a-z])[!|10$5](?=[a-z]|[^a-z0-9]|$)|(?<=\b[a-z])0(?=[a-z])")
# This many stacked letters make a vertical line of text.
_VERTICAL_RUN = 4


@dataclass
class Phrase:
    page: int
    line_no: int
    words: list[Word]
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    # The box, computed once: rules ask for it thousands of times per page.
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    ocr: bool = False  # read by OCR: label matching forgives the usual letter confusions
    _folded: str | None = None
    _compact_chars: list[tuple[str, int]] | None = None
    _word_starts: list[int] | None = None

    def __post_init__(self) -> None:
        # Built for every phrase of every page: one pass over the words, no generator per coordinate.
        words = self.words
        first = words[0]
        x0, y0, x1, y1 = first.x0, first.y0, first.x1, first.y1
        pos = len(first.text) + 1
        offsets = [0]
        for w in words[1:]:
            offsets.append(pos)
            pos += len(w.text) + 1
            x0 = w.x0 if w.x0 < x0 else x0
            y0 = w.y0 if w.y0 < y0 else y0
            x1 = w.x1 if w.x1 > x1 else x1
            y1 = w.y1 if w.y1 > y1 else y1
        self.offsets = offsets
        self.text = " ".join([w.text for w in words])
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def compact_chars(self) -> list[tuple[str, int]]:
        """The folded letters, digits and ``#`` with the index each has in ``text`` (label matching)."""
        if self._compact_chars is None:
            self._compact_chars = [(ch, i) for i, ch in enumerate(self.folded) if ch.isalnum() or ch == "#"]
        return self._compact_chars

    @property
    def word_starts(self) -> list[int]:
        """The indexes in ``compact_chars`` of the characters that begin a word (where a label may start)."""
        if self._word_starts is None:
            folded = self.folded
            self._word_starts = [k for k, (_, i) in enumerate(self.compact_chars)
                                 if i == 0 or not folded[i - 1].isalnum()]
        return self._word_starts

    @property
    def folded(self) -> str:
        """The text folded for label matching (``normalise.text.fold``), computed once."""
        if self._folded is None:
            folded = fold(self.text)
            # "Tota!", "SUBTOTA1", "T0TAL": OCR's letter-for-glyph confusions inside words, one for one.
            self._folded = _OCR_LETTERS.sub(lambda m: _OCR_FIX[m.group(0)], folded) if self.ocr else folded
        return self._folded

    @property
    def bbox(self) -> BBox:
        return BBox(self.x0, self.y0, self.x1, self.y1)

    @property
    def conf(self) -> float:
        return min(w.conf for w in self.words)

    def word_index(self, char: int) -> int:
        """The word holding character ``char`` of ``text`` (the one before, on a space)."""
        idx = 0
        for i, off in enumerate(self.offsets):
            if off <= char:
                idx = i
            else:
                break
        return idx

    def span_words(self, start: int, end: int) -> list[Word]:
        if end <= start:
            return []
        first, last = self.word_index(start), self.word_index(max(start, end - 1))
        return self.words[first:last + 1]

    def span_bbox(self, start: int, end: int) -> BBox:
        words = self.span_words(start, end) or self.words
        return _bbox(words)

    def span_conf(self, start: int, end: int) -> float:
        words = self.span_words(start, end) or self.words
        return min(w.conf for w in words)

    def sub(self, first: int, last: int) -> Phrase:
        """The phrase made of words ``first``..``last`` (inclusive)."""
        return Phrase(self.page, self.line_no, self.words[first:last + 1], ocr=self.ocr)


@dataclass
class Line:
    page: int
    number: int
    words: list[Word]
    phrases: list[Phrase] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0
    height: float = 0.0  # the median word height: one tall word does not make a tall line
    text: str = ""

    def __post_init__(self) -> None:
        self.y0 = min([w.y0 for w in self.words])
        self.y1 = max([w.y1 for w in self.words])
        self.height = _median([w.y1 - w.y0 for w in self.words])
        self.text = " ".join([w.text for w in self.words])

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line]
    source: str = "text_layer"

    def phrases(self) -> Iterator[Phrase]:
        for line in self.lines:
            yield from line.phrases


@dataclass
class Layout:
    pages: list[PageLayout]
    # What is read from the whole layout once and asked for by several readers (``fields.context``).
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def phrases(self) -> Iterator[Phrase]:
        for page in self.pages:
            yield from page.phrases()

    def lines(self) -> Iterator[Line]:
        for page in self.pages:
            yield from page.lines

    def page(self, number: int) -> PageLayout:
        for p in self.pages:
            if p.number == number:
                return p
        raise KeyError(number)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines())


def build_layout(pages: list[PageText]) -> Layout:
    return Layout([_page_layout(p) for p in pages])


def _page_layout(page: PageText) -> PageLayout:
    words = _without_vertical_text([w for w in page.words if w.text.strip() and w.y1 > w.y0])
    lines: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        best, best_overlap = -1, 0.0
        wy0, wy1 = w.y0, w.y1
        # Only the last few lines can hold a word in centre order; looking further back costs time.
        # (Conditional expressions rather than min()/max(): this runs for every word of every page.)
        for i in range(max(0, len(lines) - 4), len(lines)):
            y0, y1 = bands[i]
            overlap = (wy1 if wy1 < y1 else y1) - (wy0 if wy0 > y0 else y0)
            shorter = wy1 - wy0 if wy1 - wy0 < y1 - y0 else y1 - y0
            share = overlap / (shorter if shorter > 1e-6 else 1e-6)
            if share >= _LINE_OVERLAP and share > best_overlap:
                best, best_overlap = i, share
        if best < 0:
            lines.append([w])
            bands.append((wy0, wy1))
        else:
            lines[best].append(w)
            y0, y1 = bands[best]
            # The band follows the line's median word so one tall word does not swallow the next line.
            bands[best] = ((y0 * 3 + wy0) / 4, (y1 * 3 + wy1) / 4)
    out: list[Line] = []
    for n, line_words in enumerate(sorted(lines, key=lambda ws: _median([(w.y0 + w.y1) / 2 for w in ws]))):
        line_words.sort(key=lambda w: w.x0)
        line = Line(page.number, n, list(line_words))
        line.phrases = _phrases(page.number, n, line_words, line.height, page.source == "ocr")
        out.append(line)
    return PageLayout(page.number, page.width, page.height, out, page.source)


def _without_vertical_text(words: list[Word]) -> list[Word]:
    """Drop text set vertically (a copyright line up the margin): it arrives as a stack of one- or
    two-letter words touching each other, and would otherwise join every line it crosses."""
    small = [w for w in words if len(w.text) <= 2]
    drop: set[int] = set()
    run: list[Word] = []

    def flush() -> None:
        if len(run) >= _VERTICAL_RUN:
            drop.update(id(w) for w in run)

    for w in sorted(small, key=lambda w: (round(w.cx / 3), w.y0)):
        if run:
            prev = run[-1]
            touching = w.y0 - prev.y1 < 0.35 * max(1.0, prev.y1 - prev.y0)
            if abs(w.cx - prev.cx) < 2.5 and touching:
                run.append(w)
                continue
            flush()
        run = [w]
    flush()
    return [w for w in words if id(w) not in drop] if drop else words


def _phrases(page: int, line_no: int, words: list[Word], height: float, ocr: bool = False) -> list[Phrase]:
    """``height``: the line's median word height."""
    gap = _PHRASE_GAP * height
    groups: list[list[Word]] = [[words[0]]]
    for prev, w in itertools.pairwise(words):
        if w.x0 - prev.x1 > gap:
            groups.append([w])
        else:
            groups[-1].append(w)
    return [Phrase(page, line_no, g, ocr=ocr) for g in groups]


def _median(values: list[float]) -> float:
    """``statistics.median``, the same arithmetic without its generality (called for every line)."""
    values.sort()
    n = len(values)
    if n % 2:
        return values[n // 2]
    return (values[n // 2 - 1] + values[n // 2]) / 2


def _bbox(words: list[Word]) -> BBox:
    return BBox(min(w.x0 for w in words), min(w.y0 for w in words),
                max(w.x1 for w in words), max(w.y1 for w in words))
