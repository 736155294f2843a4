"""More training pages from few: the same layouts with other values, a little moved on the page.

The labelled words of a page get fresh values of the same shape (every digit redrawn, names swapped
for other documents' names) and the page is shifted and scaled slightly, so a model learns what
stands *around* an invoice number rather than the sample's own number and position.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from extraction.learned.labels import TaggedPage
from models.text import Word


def augment(pages: Sequence[TaggedPage], copies: int, seed: int) -> list[TaggedPage]:
    rng = random.Random(seed)
    names = sorted({w.text for tp in pages for w, t in zip(tp.words, tp.tags, strict=True)
                    if t.endswith(("VENDOR", "BUYER"))})
    out: list[TaggedPage] = []
    for tp in pages:
        for _ in range(copies):
            out.append(_variant(tp, rng, names))
    return out


def _variant(tp: TaggedPage, rng: random.Random, names: list[str]) -> TaggedPage:
    dx, dy = rng.uniform(-25, 25), rng.uniform(-25, 25)
    scale = rng.uniform(0.92, 1.08)
    words: list[Word] = []
    for w, tag in zip(tp.words, tp.tags, strict=True):
        text = w.text
        if tag != "O":
            if tag.endswith(("VENDOR", "BUYER")) and names and not any(c.isdigit() for c in text):
                text = rng.choice(names)
            else:
                text = _redraw_digits(text, rng)
        words.append(replace(w, text=text, x0=w.x0 * scale + dx, x1=w.x1 * scale + dx, y0=w.y0 * scale + dy,
                             y1=w.y1 * scale + dy))
    page = replace(tp.page, words=words)
    return TaggedPage(page, words, list(tp.tags))


def _redraw_digits(text: str, rng: random.Random) -> str:
    out = []
    first = True
    for ch in text:
        if ch.isdigit():
            out.append(str(rng.randint(1 if first else 0, 9)))
            first = False
        else:
            out.append(ch)
    return "".join(out)
