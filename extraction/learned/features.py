"""Words as model inputs: a hashed shape-normalised form, and the box on LayoutLM's 0–1000 grid.

No tokenizer or vocabulary is downloaded (none exists here): a word's form is lower-cased, stripped
of accents, its digits turned to ``0`` and cut to 14 characters (``Rechnungsnr.`` → ``rechnungsnr.``,
``529,87`` → ``000,00``), then hashed into a fixed number of ids. Unseen words still get an id, shared
at worst with a few others, and numbers of one shape share one, which is what a tagger should see.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from models.text import PageText, Word

BUCKETS = 8192
PAD, CLS, SEP = 0, 1, 2
_RESERVED = 3
_DIGIT = re.compile(r"\d")


def word_form(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _DIGIT.sub("0", plain)[:14]


def word_id(text: str) -> int:
    return _RESERVED + zlib.crc32(word_form(text).encode("utf-8")) % (BUCKETS - _RESERVED)


def grid_box(word: Word, page: PageText) -> list[int]:
    """The word's box scaled to 0..1000 on each axis, as LayoutLM's 2-D position embeddings expect."""
    def scale(value: float, size: float) -> int:
        return max(0, min(1000, int(1000 * value / max(size, 1.0))))

    return [scale(word.x0, page.width), scale(word.y0, page.height), scale(word.x1, page.width),
            scale(word.y1, page.height)]
