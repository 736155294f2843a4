"""Words with boxes from a PDF page's text layer, read through pdfium.

pdfium rather than pdfplumber: on the corpus pages pdfplumber's ``extract_words`` takes 35–110 ms a page
against 2–7 ms here for the same words (``bench/extract_read.py``), and the read stage runs on every
page of every document. pdfium already inserts the spaces and line breaks a reader would see; words are
the runs between them, also cut where the next glyph jumps back or to another line. Loose character
boxes (the font's ascent to descent) give every word on a line the same top and bottom, as pdfplumber's
``top``/``bottom`` do.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extraction.pdf.geometry import PageFrame
from models.text import Word

# Characters that stand for "no usable text": the replacement character, private-use glyph codes of
# fonts without a Unicode map, and control characters.
_GARBLED = {0xFFFD, 0xFFFE, 0xFFFF}


@dataclass
class TextLayer:
    words: list[Word] = field(default_factory=list)
    chars: int = 0     # visible characters
    garbled: int = 0   # of which unmappable

    @property
    def garbled_share(self) -> float:
        return self.garbled / self.chars if self.chars else 0.0


def read_text_layer(page: pdfium.PdfPage, frame: PageFrame) -> TextLayer:
    textpage = page.get_textpage()
    try:
        return _words(textpage, frame)
    finally:
        textpage.close()


def _words(textpage: pdfium.PdfTextPage, frame: PageFrame) -> TextLayer:
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    layer = TextLayer()
    run: list[str] = []
    box: list[float] = []  # left, bottom, right, top of the run so far (user space)
    prev: tuple[float, float, float, float] | None = None

    def flush() -> None:
        if run:
            word = unicodedata.normalize("NFKC", "".join(run)).strip()
            if word:
                x0, y0, x1, y1 = frame.box(*box)
                layer.words.append(Word(word, x0, y0, x1, y1, 1.0))
            run.clear()

    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        char = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else ""
        if not char or char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            flush()
            prev = None
            continue
        layer.chars += 1
        if code in _GARBLED or 0xE000 <= code <= 0xF8FF:
            layer.garbled += 1
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect)
        cur = (rect.left, rect.bottom, rect.right, rect.top)
        if prev is not None and _breaks(prev, cur):
            flush()
        if not run:
            box = list(cur)
        else:
            box = [min(box[0], cur[0]), min(box[1], cur[1]), max(box[2], cur[2]), max(box[3], cur[3])]
        run.append(char)
        prev = cur
    flush()
    return layer


def _breaks(prev: tuple[float, float, float, float], cur: tuple[float, float, float, float]) -> bool:
    """A new word starts where the glyph moves back, or off the previous glyph's line."""
    height = max(prev[3] - prev[1], cur[3] - cur[1], 1.0)
    prev_mid, cur_mid = (prev[1] + prev[3]) / 2, (cur[1] + cur[3]) / 2
    if abs(cur_mid - prev_mid) > height * 0.6:
        return True
    if cur[0] < prev[0] - height * 0.5:
        return True
    # pdfium inserts a space for an ordinary word gap; a gap wider than a whole em with none inserted is
    # two table cells typeset against each other.
    return cur[0] - prev[2] > height * 1.0
