"""Dates as invoices print them, in six languages, resolved to calendar days.

``03/04/2025`` is the third of April in Europe and the fourth of March in the US: a document's other
dates settle it (any date with a first part over 12 is day-first), then its language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from extraction.normalise.text import fold


class DateOrder(StrEnum):
    DMY = "DMY"
    MDY = "MDY"
    YMD = "YMD"


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier janv enero ene januari gennaio genn gen jänner jaenner",
        "february feb februar fevrier fev fevr febrero februari febbraio febbr",
        "march mar marz maerz mars marzo maart mrt",
        "april apr avril abril aprile avr",
        "may mai mayo mei maggio mag",
        "june jun juni juin junio giugno giu",
        "july jul juli juillet juil julio luglio lug",
        "august aug augustus aout agosto ago",
        "september sep sept septembre septiembre setiembre settembre set",
        "october oct oktober octobre octubre okt ottobre ott",
        "november nov novembre noviembre",
        "december dec dezember decembre diciembre dic dicembre dez",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_RE = re.compile(r"(?<![\d.,/-])(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})(?![\d/-]|[.,]\d)")
_NUMERIC_SPACED_RE = re.compile(r"(?<![\d.,/-])(\d{1,2})\s?([./])\s?(\d{1,2})\s?\2\s?(\d{4})(?!\d)")
_DAY_MONTH_RE = re.compile(
    r"(?<![\d])(\d{1,2})(?:st|nd|rd|th|er|e|º)?\.?\s*(?:de\s+)?(" + _MONTH_ALT
    + r")\.?\s*(?:de\s+)?[,']?\s*(\d{4}|\d{2})(?!\d)"
)
_MONTH_DAY_RE = re.compile(
    r"(?<![a-z])(" + _MONTH_ALT + r")\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})(?!\d)"
)
_COMPACT_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: date
    text: str
    # True when the text alone fixes the day (a month name, a four-digit year first, a day over 12).
    unambiguous: bool


def parse_date(text: str, order: DateOrder | None = None) -> date | None:
    """The first date ``text`` states, read with the document's order; ``None`` when there is none."""
    found = find_dates(text, order)
    return found[0].value if found else None


def find_dates(text: str, order: DateOrder | None = None, *, compact: bool = False) -> list[DateMatch]:
    """Every date in ``text``. ``compact`` also reads ``20250304`` (only where a label says it is a date)."""
    text = text[:10_000]
    folded = fold(text)
    out: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None, unambiguous: bool) -> None:
        if value is None or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        out.append(DateMatch(start, end, value, text[start:end], unambiguous))

    for m in _DAY_MONTH_RE.finditer(folded):
        add(m.start(), m.end(), _make(m.group(3), _MONTHS[m.group(2)], m.group(1)), True)
    for m in _MONTH_DAY_RE.finditer(folded):
        add(m.start(), m.end(), _make(m.group(3), _MONTHS[m.group(1)], m.group(2)), True)
    for rx in (_NUMERIC_RE, _NUMERIC_SPACED_RE):
        for m in rx.finditer(folded):
            read = _numeric(m.group(1), m.group(2), m.group(3), m.group(4), order)
            if read is not None:
                add(m.start(), m.end(), read[0], read[1])
    if compact:
        for m in _COMPACT_RE.finditer(folded):
            add(m.start(), m.end(), _make(m.group(1), int(m.group(2)), m.group(3)), True)
    out.sort(key=lambda d: d.start)
    return out


def infer_date_order(texts: Iterable[str], default: DateOrder = DateOrder.DMY) -> DateOrder:
    """Day-first or month-first, from the document's numeric dates whose parts only fit one way."""
    dmy = mdy = 0
    for text in texts:
        for m in _NUMERIC_RE.finditer(text[:10_000]):
            a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
            if len(m.group(1)) == 4:
                continue
            if a > 12 >= b:
                dmy += 1
            elif b > 12 >= a:
                mdy += 1
            elif sep == ".":
                dmy += 1  # dotted dates are day-first wherever they are printed
    if dmy == mdy:
        return default
    return DateOrder.DMY if dmy > mdy else DateOrder.MDY


def _numeric(a: str, sep: str, b: str, c: str, order: DateOrder | None) -> tuple[date, bool] | None:
    if len(a) == 4:
        value = _make(a, int(b), c)
        return (value, True) if value else None
    if len(a) == 3 or len(c) == 3:
        return None
    x, y = int(a), int(b)
    if x > 12 >= y:
        value = _make(c, y, a)
        return (value, True) if value else None
    if y > 12 >= x:
        value = _make(c, x, b)
        return (value, True) if value else None
    month_first = order is DateOrder.MDY and sep != "."
    value = _make(c, x, b) if month_first else _make(c, y, a)
    return (value, x == y) if value else None


def _make(year: str, month: int, day: str) -> date | None:
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 70 else 1900
    if not 1900 <= y <= 2099:
        return None
    try:
        return date(y, month, int(day))
    except ValueError:
        return None
