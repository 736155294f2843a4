"""Finding the lexicon's labels in phrases: leftmost-longest, on word starts, in compact form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extraction.fields.layout import Phrase
from extraction.fields.lexicon import LABELS, SECTIONS, Label

_END = ""
_MAY_HOLD_LABEL = re.compile(r"[^\W\d_]|[#°º]").search


def _trie(entries: dict[str, list[Label]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, labels in entries.items():
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[_END] = labels
    return root


_BY_COMPACT: dict[str, list[Label]] = {}
for _label in LABELS:
    _BY_COMPACT.setdefault(_label.compact, []).append(_label)
_TRIE = _trie(_BY_COMPACT)
_SECTION_TRIE = _trie({c: [Label(kind, c, "", 1.0, c)] for kind, cs in SECTIONS.items() for c in cs})


@dataclass(frozen=True)
class LabelHit:
    phrase: Phrase
    start: int  # character span in ``phrase.text``
    end: int
    labels: tuple[Label, ...]

    def weight(self, field: str) -> float:
        return max((lb.weight for lb in self.labels if lb.field == field), default=0.0)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(lb.field for lb in self.labels)

    @property
    def text(self) -> str:
        return self.phrase.text[self.start:self.end]

    @property
    def x0(self) -> float:
        return self.phrase.span_bbox(self.start, self.end).x0

    @property
    def x1(self) -> float:
        return self.phrase.span_bbox(self.start, self.end).x1


def find_labels(phrase: Phrase) -> list[LabelHit]:
    return _find(phrase, _TRIE)


def find_sections(phrase: Phrase) -> list[LabelHit]:
    """Section headings (``Bill to``, ``Verkäufer``): only when they make up the phrase's start."""
    return [h for h in _find(phrase, _SECTION_TRIE, starts_only=True) if h.start == 0]


def _find(phrase: Phrase, trie: dict[str, Any], *, starts_only: bool = False) -> list[LabelHit]:
    if not _MAY_HOLD_LABEL(phrase.text):
        return []  # figures alone ("1.234,56", "19%"): every label has a letter or "#"
    folded = phrase.folded
    chars = phrase.compact_chars
    count, size = len(chars), len(folded)
    hits: list[LabelHit] = []
    covered_to = -1
    for k in phrase.word_starts:
        if starts_only and k > 0:
            break  # a heading must open the phrase
        orig = chars[k][1]
        if orig <= covered_to:
            continue
        # Every phrase of every page is searched: the walk keeps to locals (a child is a dict or absent,
        # as no character is the empty end key).
        node: dict[str, Any] = trie
        best: tuple[int, list[Label]] | None = None
        j = k
        while j < count:
            ch, end_orig = chars[j]
            child = node.get(ch)
            if child is None:
                break
            node = child
            if _END in node and (end_orig + 1 >= size or not folded[end_orig + 1].isalnum() or ch == "#"):
                best = (end_orig + 1, node[_END])
            j += 1
        if best is not None:
            end, labels = best
            hits.append(LabelHit(phrase, orig, end, tuple(labels)))
            covered_to = end - 1
    return hits
