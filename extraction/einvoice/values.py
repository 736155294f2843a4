"""E-invoice values into the canonical strings ``InvoiceData`` holds (ISO dates, plain decimals)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_WS = re.compile(r"\s+")

# The type codes (UNTDID 1001) that make a document a credit note rather than an invoice.
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})


def decimal_text(value: str | None) -> str | None:
    """``" 1436.5 "`` → ``"1436.5"``; ``None`` for anything that is not a finite decimal."""
    number = parse_decimal(value)
    if number is None:
        return None
    return format(_trimmed(number), "f")


def amount_text(value: str | None) -> str | None:
    """A money amount with at least two decimals (``1436.5`` → ``1436.50``, ``9.9000`` → ``9.90``), never
    rounded: a unit price of ``0.1234`` keeps its four places."""
    number = parse_decimal(value)
    if number is None:
        return None
    number = _trimmed(number)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        number = number.quantize(Decimal("0.01"))
    return format(number, "f")


def _trimmed(number: Decimal) -> Decimal:
    """Trailing zeros dropped (``20.0000`` → ``20``) without switching to exponent notation."""
    if number == 0:
        return Decimal(0)
    normal = number.normalize()
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal


def parse_decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    cleaned = value.strip().replace(" ", "")
    if not cleaned or len(cleaned) > 40:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def cii_date(value: str | None, fmt: str | None) -> str | None:
    """A CII ``DateTimeString``: format 102 is ``YYYYMMDD``; 610 (``YYYYMM``) names a month, not a day."""
    if not value:
        return None
    digits = value.strip()
    if (fmt in (None, "", "102")) and re.fullmatch(r"\d{8}", digits):
        return _iso(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    # Some producers write ISO dates into the 102 field; accept them rather than lose the date.
    return iso_date(digits)


def iso_date(value: str | None) -> str | None:
    """``2013-06-30`` (optionally with a time or zone after it) → ``2013-06-30``."""
    if not value:
        return None
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def clean_text(value: str | None) -> str | None:
    """Collapse runs of whitespace (line breaks inside names and descriptions) to single spaces."""
    if value is None:
        return None
    collapsed = _WS.sub(" ", value).strip()
    return collapsed or None


def document_type(type_code: str | None) -> str:
    return "credit_note" if (type_code or "").strip() in CREDIT_NOTE_CODES else "invoice"
