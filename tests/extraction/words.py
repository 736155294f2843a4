"""Pages of words at chosen places, the way a text layer delivers them, for rule tests without files."""

from __future__ import annotations

from models.text import PageText, Word

CHAR = 5.0  # points per character at a 10 pt font, near enough for Helvetica digits and capitals
SPACE = 2.8
HEIGHT = 10.0


def words_at(x: float, y: float, text: str, *, size: float = HEIGHT, conf: float = 1.0) -> list[Word]:
    """``text`` starting at (x, y), one word per space-separated token, spaced like a text layer."""
    out: list[Word] = []
    scale = size / HEIGHT
    for token in text.split(" "):
        if not token:
            x += SPACE * scale
            continue
        width = CHAR * scale * len(token)
        out.append(Word(token, x, y, x + width, y + size, conf))
        x += width + SPACE * scale
    return out


def page(*items: tuple[float, float, str], number: int = 1, width: float = 595.0, height: float = 842.0,
         source: str = "text_layer") -> PageText:
    """A page from ``(x, y, text)`` items; items on one ``y`` with a wide gap are separate columns."""
    words: list[Word] = []
    for x, y, text in items:
        words.extend(words_at(x, y, text))
    return PageText(number=number, width=width, height=height, words=words, source=source)
