"""Folding text for comparison: lower case without accents, one character for one, so spans map back."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x2B0):
        ch = chr(code)
        if ch in "°º":
            table[code] = "#"  # "N°" and "Nº" mean "number" where the letters alone would be a word
            continue
        if not ch.isalpha():
            continue
        base = unicodedata.normalize("NFKD", ch)[:1].lower()
        if len(base) == 1 and base != ch:
            table[code] = base
    return table


_FOLD = _table()


def fold(text: str) -> str:
    """``Fälligkeit N°`` → ``falligkeit n#``; the result has exactly the length of the input."""
    folded = text.translate(_FOLD)
    if folded.isascii():
        return folded
    # Letters beyond Latin Extended-B: lower-case one by one, keeping any that would change length.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Only letters, digits and ``#``, folded: ``Rechnungs-Nr.`` → ``rechnungsnr``."""
    return "".join(ch for ch in fold(text) if ch.isalnum() or ch == "#")
