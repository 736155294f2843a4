"""Words with boxes from a PDF page's text layer, read through pdfium.

pdfium rather than pdfplumber: on the corpus pages pdfplumber's ``extract_words`` takes a median 59 ms a
page against 3.5 ms here for the same words and boxes (34× and 2× a bare pdfium text read,
``bench/extract_read.py``), and the read stage runs on every page of every document. pdfium already
inserts the spaces and line breaks a reader would see; words are the runs between them, also cut where
the next glyph jumps back or to another line. Loose character
boxes (the font's ascent to descent) give every word on a line the same top and bottom, as pdfplumber's
``top``/``bottom`` do.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extraction.pdf.geometry import PageFrame
from models.text import Word

# Characters that stand for "no usable text": the replacement character, private-use glyph codes of
# fonts without a Unicode map, and control characters.
_GARBLED = frozenset({0xFFFD, 0xFFFE, 0xFFFF})
# Format characters that separate nothing visible: soft hyphen, zero-width spaces and joiners, BOM.
_INVISIBLE = frozenset({0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF})


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
    # The per-character loop is the hot path of reading every digital page: pdfium is called through
    # locals, boxes are kept as plain floats, and nothing is allocated per character but the string.
    raw = textpage.raw
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    rect = pdfium_c.FS_RECTF()
    layer = TextLayer()
    words = layer.words
    run: list[str] = []
    x0 = y0 = x1 = y1 = 0.0             # the run's box so far (user space: y up)
    pl = pb = pr = pt = 0.0             # the previous character's box
    chars = garbled = 0
    for index, code in enumerate(_codes(raw)):
        if code <= 32 or 0x7F <= code <= 0xA0 or code in _INVISIBLE or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            if run:
                _emit(words, run, frame, x0, y0, x1, y1)
                run = []
            continue
        char = chr(code)
        if char.isspace():
            if run:
                _emit(words, run, frame, x0, y0, x1, y1)
                run = []
            continue
        chars += 1
        if code in _GARBLED or 0xE000 <= code <= 0xF8FF:
            garbled += 1
        get_box(raw, index, rect)
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        if run:
            # Conditional expressions rather than min()/max(): the builtins' call overhead was a third of
            # this loop's time (bench/extract_read.py).
            height = top - bottom if top - bottom > pt - pb else pt - pb
            height = height if height > 1.0 else 1.0
            # A new word starts where the glyph moves off the line, jumps back, or sits a whole em
            # after the previous one with no space inserted (two table cells set against each other).
            if (abs((bottom + top) - (pb + pt)) > 1.2 * height or left < pl - 0.5 * height
                    or left - pr > height):
                _emit(words, run, frame, x0, y0, x1, y1)
                run = []
        if run:
            x0 = left if left < x0 else x0
            y0 = bottom if bottom < y0 else y0
            x1 = right if right > x1 else x1
            y1 = top if top > y1 else y1
        else:
            x0, y0, x1, y1 = left, bottom, right, top
        run.append(char)
        pl, pb, pr, pt = left, bottom, right, top
    if run:
        _emit(words, run, frame, x0, y0, x1, y1)
    layer.chars, layer.garbled = chars, garbled
    return layer


def _codes(raw: object) -> list[int]:
    """Every character's code point, in char-index order: the page's text in one call, or one call per
    character where the two would not line up (characters outside the BMP come as surrogate pairs)."""
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count:
        # pdfium marks a hyphen it judged to end a line as U+FFFE in the text (0x02 per character).
        return [2 if ch == "\ufffe" else ord(ch) for ch in text]
    return [pdfium_c.FPDFText_GetUnicode(raw, index) for index in range(count)]


def _emit(words: list[Word], run: list[str], frame: PageFrame, left: float, bottom: float, right: float,
          top: float) -> None:
    text = "".join(run)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip()
        if not text:
            return
    x0, y0, x1, y1 = frame.box(left, bottom, right, top)
    words.append(Word(text, x0, y0, x1, y1, 1.0))
