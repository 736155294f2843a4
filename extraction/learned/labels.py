"""Training labels for words: where a document's known field values are printed (weak supervision).

The truth of a corpus or synthetic document says *what* its invoice number or total is, not *where*;
the words whose text reads as that value (by the same parsers extraction uses) are tagged with the
field, as B-/I- spans. A value printed several times is tagged everywhere: the models learn what
surrounds a total, not which of its copies the truth meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from extraction.fields.layout import build_layout
from extraction.normalise.amounts import find_amounts
from extraction.normalise.dates import find_dates
from extraction.normalise.text import compact
from models.identifiers import normalise_iban, normalise_ref, normalise_vat, vat_without_country
from models.text import PageText, Word

# Tag names per field, in the priority a word claimed by two fields goes to.
FIELD_TAGS: dict[str, str] = {
    "total_amount": "TOTAL",
    "tax_amount": "TAX",
    "net_amount": "NET",
    "invoice_number": "INVNO",
    "invoice_date": "DATE",
    "due_date": "DUE",
    "po_number": "PO",
    "vendor_vat": "VAT",
    "vendor_iban": "IBAN",
    "vendor_name": "VENDOR",
    "buyer_name": "BUYER",
}
TAG_FIELDS = {tag: name for name, tag in FIELD_TAGS.items()}
TAGS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in FIELD_TAGS.values() for p in ("B", "I")))
_MAX_SPAN = 6


@dataclass
class TaggedPage:
    """One page's words in reading order (line by line) with a tag each."""

    page: PageText
    words: list[Word]
    tags: list[str]


def reading_order(pages: Sequence[PageText]) -> list[tuple[PageText, list[Word]]]:
    layout = build_layout(list(pages))
    by_number = {p.number: p for p in pages}
    return [(by_number[pl.number], [w for line in pl.lines for w in line.words]) for pl in layout.pages]


def tag_pages(pages: Sequence[PageText], truth: dict[str, Any]) -> list[TaggedPage]:
    out = []
    for page, words in reading_order(pages):
        tags = ["O"] * len(words)
        for fname, tag in FIELD_TAGS.items():
            value = truth.get(fname)
            if value in (None, ""):
                continue
            for start, end in _spans(fname, str(value), words):
                if all(t == "O" for t in tags[start:end]):
                    tags[start] = f"B-{tag}"
                    for k in range(start + 1, end):
                        tags[k] = f"I-{tag}"
        out.append(TaggedPage(page, words, tags))
    return out


def _spans(fname: str, value: str, words: list[Word]) -> list[tuple[int, int]]:
    texts = [w.text for w in words]
    if fname in ("total_amount", "tax_amount", "net_amount"):
        target = _decimal(value)
        return [] if target is None else _match(texts, lambda t: _is_amount(t, target), max_len=2)
    if fname in ("invoice_date", "due_date"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return []
        return _match(texts, lambda t: _is_date(t, day), max_len=4)
    if fname in ("invoice_number", "po_number"):
        wanted = normalise_ref(value)
        return _match(texts, lambda t: normalise_ref(t.strip(":#")) == wanted, max_len=3) if wanted else []
    if fname == "vendor_vat":
        options = {compact(normalise_vat(value)), compact(vat_without_country(value))}
        return _match(texts, lambda t: compact(t) in options, max_len=5)
    if fname == "vendor_iban":
        wanted = compact(normalise_iban(value))
        return _match(texts, lambda t: compact(t) == wanted, max_len=9)
    wanted_name = compact(value)
    return _match(texts, lambda t: len(wanted_name) > 2 and compact(t) == wanted_name, max_len=_MAX_SPAN)


def _match(texts: list[str], ok: Any, *, max_len: int) -> list[tuple[int, int]]:
    """Shortest spans of consecutive words whose joined text passes ``ok``, not overlapping."""
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(texts):
        hit = None
        for n in range(1, max_len + 1):
            if i + n > len(texts):
                break
            if ok(" ".join(texts[i:i + n])):
                hit = (i, i + n)
                break
        if hit:
            found.append(hit)
            i = hit[1]
        else:
            i += 1
    return found


def _is_amount(text: str, target: Decimal) -> bool:
    found = find_amounts(text)
    return len(found) == 1 and found[0].decimals >= 1 and abs(found[0].value) == abs(target) \
        and found[0].end - found[0].start >= len(text.strip()) - 4


def _is_date(text: str, day: date) -> bool:
    found = find_dates(text, compact=True)
    return len(found) == 1 and found[0].value == day and found[0].end - found[0].start >= len(text) - 2


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError):
        return None
