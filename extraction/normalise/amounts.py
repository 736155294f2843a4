"""Locale-aware amounts: ``1.234,56`` (DE/FR/ES/NL/IT), ``1,234.56`` (EN), ``1'234.56`` (CH), ``1 234,56``.

A lone separator followed by exactly three digits (``1,234`` / ``1.234``) is the one case the digits
cannot settle; the document's own style settles it, read from its unambiguous amounts (those with two
decimals), because one invoice does not mix conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extraction.normalise.currencies import currency_in

# Thousands groups: ',', '.', apostrophes (Swiss), no-break and thin spaces; a plain space only inside
# ``1 234,56`` (a group of three followed by decimals), since elsewhere a space separates two numbers.
_GROUP_SEP = r"[.,'’\u00a0\u202f]"
_NUMBER = (
    r"(?:\d{1,3}(?:" + _GROUP_SEP + r"\d{3})+(?:[.,]\d{1,4})?"
    r"|\d{1,3}(?: \d{3})+[.,]\d{1,4}"
    r"|\d+(?:[.,]\d{1,4})?"
    r"|[.,]\d{2})"
)
_CURRENCY_TOKEN = r"(?:[€$£¥₹]|US\$|A\$|C\$|R\$|EUR|USD|GBP|CHF|DKK|NOK|SEK|HUF|PLN|CZK|JPY|AUD|CAD|MYR|RM|SGD|INR|CNY)"
_AMOUNT_RE = re.compile(
    r"(?<![\w.,/])"
    r"(?P<neg1>[-−–]\s?)?(?P<paren>\()?"
    r"(?:(?P<cur1>" + _CURRENCY_TOKEN + r")\s?)?"
    r"(?P<neg2>[-−–]\s?)?"
    r"(?P<num>" + _NUMBER + r")"
    r"(?P<neg3>-(?!\d))?"
    r"(?:\s?(?P<cur2>" + _CURRENCY_TOKEN + r")(?![A-Za-z]))?"
    r"(?P<close>\))?"
    r"(?![\w/%]|[.,]\d|\s%)"
)
_MAX_DIGITS = 15


@dataclass(frozen=True)
class AmountStyle:
    """The document's decimal separator; ``None`` when nothing on the page decided it."""

    decimal: str | None = None


@dataclass(frozen=True)
class AmountMatch:
    start: int
    end: int
    value: Decimal
    decimals: int
    currency: str | None
    text: str


def infer_amount_style(texts: Iterable[str]) -> AmountStyle:
    """The separator used before two-digit decimals, by count over the whole document."""
    comma = dot = 0
    for text in texts:
        for m in re.finditer(r"(?<![\d.,])\d{1,3}(?:[.,'\s]\d{3})*([.,])\d{2}(?![\d.,]?\d)", text):
            if m.group(1) == ",":
                comma += 1
            else:
                dot += 1
    if comma == dot:
        return AmountStyle(None)
    return AmountStyle("," if comma > dot else ".")


def parse_amount(text: str, style: AmountStyle | None = None) -> Decimal | None:
    """The single amount a piece of text states, or ``None`` when it holds none or several."""
    matches = find_amounts(text, style)
    if len(matches) != 1:
        return None
    return matches[0].value


def find_amounts(text: str, style: AmountStyle | None = None) -> list[AmountMatch]:
    """Every number in ``text`` read as an amount, with its span, sign and currency when printed."""
    out: list[AmountMatch] = []
    if len(text) > 10_000:
        text = text[:10_000]
    for m in _AMOUNT_RE.finditer(text):
        if (m.group("paren") and not m.group("close")) or (m.group("close") and not m.group("paren")):
            # An unbalanced parenthesis belongs to the surrounding text, not to the amount.
            continue
        read = _number_value(m.group("num"), style or AmountStyle())
        if read is None:
            continue
        value, decimals = read
        negative = bool(m.group("neg1") or m.group("neg2") or m.group("neg3") or m.group("paren"))
        currency = None
        for cur in (m.group("cur1"), m.group("cur2")):
            if cur:
                currency = currency_in(cur)
        out.append(AmountMatch(m.start(), m.end(), -value if negative else value, decimals, currency,
                               m.group(0)))
    return out


def _number_value(num: str, style: AmountStyle) -> tuple[Decimal, int] | None:
    digits = sum(ch.isdigit() for ch in num)
    if digits == 0 or digits > _MAX_DIGITS:
        return None
    separators = [(i, ch) for i, ch in enumerate(num) if not ch.isdigit()]
    decimal_at: int | None = None
    if separators:
        last_i, last_ch = separators[-1]
        tail = len(num) - last_i - 1
        others = {ch for _, ch in separators[:-1]}
        if last_ch in "'’\u00a0\u202f ":
            decimal_at = None
        elif others and last_ch not in others:
            decimal_at = last_i
        elif others:
            decimal_at = None  # 1.234.567: every separator groups thousands
        elif tail != 3 or num.startswith(("0", ",", ".")):
            decimal_at = last_i
        elif style.decimal is not None:
            decimal_at = last_i if last_ch == style.decimal else None
        else:
            decimal_at = None
        if decimal_at is None and any(len(g) != 3 for g in re.split(r"[.,'’\u00a0\u202f ]", num)[1:]):
            return None
    if decimal_at is None:
        whole, frac = re.sub(r"\D", "", num), ""
    else:
        whole, frac = re.sub(r"\D", "", num[:decimal_at]), num[decimal_at + 1:]
    try:
        value = Decimal(f"{whole or '0'}.{frac}" if frac else whole)
    except InvalidOperation:
        return None
    return value, len(frac)


def amount_str(value: Decimal) -> str:
    """The canonical text of an amount: at least two decimals (``112.00``), more only when printed."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return format(value.quantize(Decimal("0.01")), "f")
    return format(value, "f")
