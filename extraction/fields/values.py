"""Reading a value of a given kind out of the text that follows a label.

Each reader returns the spans it found with the canonical value and a *quality* in 0..1: how much the
text looks like that kind of value on its own (``42.00`` is a better amount than ``42``; an id with
digits is a better invoice number than a word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.fields.entities import find_entities
from extraction.normalise.amounts import AmountStyle, amount_str, find_amounts
from extraction.normalise.currencies import currency_spans
from extraction.normalise.dates import DateOrder, find_dates

# Field → the kind of value its label introduces.
FIELD_KIND: dict[str, str] = {
    "invoice_number": "id",
    "po_number": "id",
    "delivery_note": "id",
    "credit_note_ref": "id",
    "invoice_date": "date",
    "due_date": "date",
    "net_amount": "amount",
    "tax_amount": "amount",
    "total_amount": "amount",
    "vendor_vat": "vat",
    "vendor_iban": "iban",
    "vendor_bic": "bic",
    "currency": "currency",
    "payment_tendered": "amount",
    "payment_change": "amount",
    "payment_terms": "text",
}

_ID_TOKEN = re.compile(r"[#:]?([A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]|[0-9])")
# Amounts, percentages, phone numbers and dates are not ids even where an id label precedes them.
_NOT_ID = re.compile(
    r"^\d{1,3}(?:[.,]\d{3})*[.,]\d{2}$|^\d+%$|^\+|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}-\d{2}-\d{2}$"
)
_PREFIX_BEFORE = re.compile(r"(?:^|\s)([A-Z]{2,4}) $")
# Short words that sit between a label and its id ("Nr.", "No:", "#") and may be stepped over.
_FILLERS = frozenset({"nr", "no", "n", "num", "number", "#", "nummer", "numero", "ref", "id", "kunde", "de", "du",
                      "of", "the", "order", "de la", "d", "mit", "bei"})


@dataclass(frozen=True)
class ValueSpan:
    start: int
    end: int
    value: str
    quality: float
    raw: str


@dataclass(frozen=True)
class ReadContext:
    style: AmountStyle
    order: DateOrder


def read_values(kind: str, text: str, ctx: ReadContext) -> list[ValueSpan]:
    reader = _READERS.get(kind)
    return reader(text, ctx) if reader else []


def _ids(text: str, ctx: ReadContext) -> list[ValueSpan]:
    out: list[ValueSpan] = []
    skipped = 0
    for m in _ID_TOKEN.finditer(text):
        token = m.group(1).rstrip(".-/")
        if not token:
            continue
        has_digit = any(c.isdigit() for c in token)
        if not has_digit:
            if token.lower().strip(".") in _FILLERS or len(token) <= 2 or (token.isupper() and len(token) <= 4):
                continue
            skipped += 1
            if skipped > 1 or out:
                break
            continue
        if _NOT_ID.match(token) or find_dates(token, ctx.order):
            break
        start = m.start(1)
        prefix = _PREFIX_BEFORE.search(text[:start])
        if prefix and not skipped and prefix.group(1).lower() not in _FILLERS:
            # "RG 2025/45086", "INV 00017": a short capitalised series code in front belongs to the number.
            start = prefix.start(1)
            token = text[start:m.end(1)].rstrip(".-/")
        quality = 1.0
        if len(token) <= 2:
            quality = 0.45
        elif len(token) == 3:
            quality = 0.7
        if sum(c.isdigit() for c in token) < 2 and len(token) < 5:
            quality *= 0.7
        out.append(ValueSpan(start, start + len(token), token, quality * (0.85 ** skipped), token))
        out.extend(_listed_ids(text, start + len(token), out[0].quality))
        break
    return out


_LIST_NEXT = re.compile(
    r"\s*(?:[,;&+]|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b)\s*([A-Za-z]{0,4}[0-9][A-Za-z0-9\-/._]*)"
)


def _listed_ids(text: str, pos: int, quality: float) -> list[ValueSpan]:
    """"P01064, P01080 und P01102": the further numbers of a list after the first."""
    out: list[ValueSpan] = []
    while True:
        m = _LIST_NEXT.match(text, pos)
        if m is None:
            return out
        token = m.group(1).rstrip(".-/")
        out.append(ValueSpan(m.start(1), m.start(1) + len(token), token, quality, token))
        pos = m.start(1) + len(token)


def _dates(text: str, ctx: ReadContext) -> list[ValueSpan]:
    return [ValueSpan(d.start, d.end, d.value.isoformat(), 1.0 if d.unambiguous else 0.9, d.text)
            for d in find_dates(text, ctx.order, compact=True)]


# OCR puts a space after a decimal point ("29. 70"); moving it behind the cents keeps every offset.
_OCR_CENTS = re.compile(r"(\d[.,]) (\d{2})(?!\d)")


def _amounts(text: str, ctx: ReadContext) -> list[ValueSpan]:
    out = []
    text = _OCR_CENTS.sub(r"\1\2 ", text)
    dates = [(d.start, d.end) for d in find_dates(text, ctx.order)]
    for a in find_amounts(text, ctx.style):
        if any(s < a.end and a.start < e for s, e in dates):
            continue  # "TOTAL AMOUNT DUE ON August 3, 2014": the year is not an amount
        quality = 1.0 if a.decimals == 2 else 0.75 if a.decimals in (3, 4) else 0.55
        if a.currency:
            quality = min(1.0, quality + 0.15)
        out.append(ValueSpan(a.start, a.end, amount_str(a.value), quality, a.text))
    return out


def _vats(text: str, ctx: ReadContext) -> list[ValueSpan]:
    return [ValueSpan(e.start, e.end, e.value, 1.0 if e.valid else 0.75, text[e.start:e.end])
            for e in find_entities(text) if e.kind == "VAT"]


def _ibans(text: str, ctx: ReadContext) -> list[ValueSpan]:
    found = [ValueSpan(e.start, e.end, e.value, 1.0, text[e.start:e.end])
             for e in find_entities(text) if e.kind == "IBAN"]
    if found:
        return found
    # A bank account that is not an IBAN ("Bank Account: US1234567890") is still what the vendor prints.
    m = re.search(r"\b([A-Z]{2}[0-9]{6,30})\b", text)
    if m:
        return [ValueSpan(m.start(1), m.end(1), m.group(1), 0.5, m.group(1))]
    return []


def _bics(text: str, ctx: ReadContext) -> list[ValueSpan]:
    return [ValueSpan(e.start, e.end, e.value, 1.0, e.value) for e in find_entities(text) if e.kind == "BIC"]


def _currencies(text: str, ctx: ReadContext) -> list[ValueSpan]:
    return [ValueSpan(s, e, code, 1.0, text[s:e]) for code, s, e in currency_spans(text)]


def _text(text: str, ctx: ReadContext) -> list[ValueSpan]:
    stripped = text.strip(" :.-")
    if len(stripped) < 2:
        return []
    start = text.find(stripped)
    return [ValueSpan(start, start + len(stripped), stripped, 0.8, stripped)]


_READERS = {
    "id": _ids,
    "date": _dates,
    "amount": _amounts,
    "vat": _vats,
    "iban": _ibans,
    "bic": _bics,
    "currency": _currencies,
    "text": _text,
}
