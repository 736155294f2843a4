"""Currencies from what invoices print: ISO codes, symbols and names, to ISO 4217 codes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# The codes an AP inbox in Europe meets, plus the ones the public corpora use (MYR on SROIE receipts).
ISO_CODES = frozenset(
    [
        "EUR", "USD", "GBP", "CHF", "DKK", "NOK", "SEK", "HUF", "PLN", "CZK", "RON", "BGN", "ISK", "JPY", "CNY",
        "AUD", "CAD", "NZD", "MYR", "SGD", "INR", "HKD", "ZAR", "BRL", "MXN", "TRY", "AED", "SAR", "KRW", "TWD",
        "THB", "IDR", "PHP", "ILS", "RUB", "UAH",
    ]
)
# Symbols and names; ``$`` alone is read as USD, the usual meaning on an invoice without another code.
_ALIASES = {
    "€": "EUR", "EURO": "EUR", "EUROS": "EUR", "EURO'S": "EUR",
    "$": "USD", "US$": "USD", "USD$": "USD", "DOLLAR": "USD", "DOLLARS": "USD",
    "A$": "AUD", "C$": "CAD", "R$": "BRL", "S$": "SGD", "HK$": "HKD",
    "£": "GBP", "¥": "JPY", "₹": "INR", "RM": "MYR", "FT": "HUF", "ZŁ": "PLN", "KČ": "CZK",
}
_TOKEN_RE = re.compile(
    r"US\$|USD\$|A\$|C\$|R\$|S\$|HK\$|[€$£¥₹]|\b(?:EUROS?|EURO'S|DOLLARS?|RM|Ft|zł|Kč)\b|\b[A-Z]{3}\b",
    re.IGNORECASE,
)


def currency_in(text: str) -> str | None:
    """The one currency ``text`` names, or ``None`` (none, or several different ones)."""
    found = {code for code, _ in _tokens(text)}
    return found.pop() if len(found) == 1 else None


def currency_votes(texts: Iterable[str]) -> Counter[str]:
    """How often each currency is named across the texts (a document's pages, one phrase each)."""
    votes: Counter[str] = Counter()
    for text in texts:
        for code, _ in _tokens(text):
            votes[code] += 1
    return votes


def currency_spans(text: str) -> list[tuple[str, int, int]]:
    """Each currency mention with its character span."""
    return [(code, m.start(), m.end()) for code, m in _tokens(text)]


def _tokens(text: str) -> list[tuple[str, re.Match[str]]]:
    out = []
    for m in _TOKEN_RE.finditer(text[:10_000]):
        raw = m.group(0)
        upper = raw.upper()
        if upper in _ALIASES:
            # "RM" and "Ft" are currencies only in capitals/title case as printed, never "rm" in a word.
            if upper in {"RM", "FT"} and raw not in {"RM", "Ft"}:
                continue
            out.append((_ALIASES[upper], m))
        elif raw.isupper() and upper in ISO_CODES:
            out.append((upper, m))
    return out
