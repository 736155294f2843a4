"""Words with boxes from a PDF page's text layer, read through pdfium.

pdfium rather than pdfplumber: on the corpus pages pdfplumber's ``extract_words`` takes a median 59 ms a
page against 3.5 ms here for the same words and boxes (34× and 2× a bare pdfium text read,
``bench/extract_read.py``), and the read stage runs on every page of every document. pdfium already
inserts the spaces and line breaks a reader would see; words are the runs between them, also cut where
the next glyph jumps back or to another line. Loose character
boxes (the font's ascent to descent) give every word on a line the same top and bottom, as pdfplumber's
``top``/``bottom`` do.

The page is read in three array passes rather than one Python loop per character (which cost twice a
bare pdfium text read on its own): which characters are visible, from the page's text; the box of each
visible character, one pdfium call each; then where words break, from each character's box against the
previous one's, and each word's box, with numpy.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extraction.pdf.geometry import PageFrame
from models.text import Word

# Characters that stand for "no usable text": the replacement character and non-characters, and
# private-use glyph codes of fonts without a Unicode map.
_GARBLED = (0xFFFD, 0xFFFE, 0xFFFF)
_PRIVATE_USE = slice(0xE000, 0xF8FF + 1)
# Format characters that separate nothing visible: soft hyphen, zero-width spaces and joiners, BOM.
_INVISIBLE = (0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF)
# Whitespace beyond Latin-1 (what ``str.isspace`` calls a space; the last is U+3000).
_SPACES = tuple(code for code in range(0xA1, 0x3001) if chr(code).isspace())
_BMP = 0x10000


def _table(*codes: int | slice) -> npt.NDArray[np.bool_]:
    table = np.zeros(_BMP, dtype=np.bool_)
    for code in codes:
        table[code] = True
    return table


# Per code point of the Basic Multilingual Plane, looked up for a whole page at once: what separates
# words (controls, spaces, the C1 block, invisible format characters, lone surrogates), and what is garbled.
_SEPARATES = _table(slice(0, 33), slice(0x7F, 0xA1), slice(0xD800, 0xE000), *_INVISIBLE, *_SPACES)
_GARBLES = _table(_PRIVATE_USE, *_GARBLED)

# FPDFText_GetLooseCharBox through a prototype taking plain addresses: the bindings' pointer types cost a
# conversion per argument, and the call is made once per character of every page.
_LOOSE_BOX = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)(
    ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_void_p).value or 0)
_RECT = ctypes.sizeof(pdfium_c.FS_RECTF)  # four floats: left, top, right, bottom


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
    codes = _codes(textpage.raw)
    in_bmp = codes < _BMP
    clipped = np.where(in_bmp, codes, 0)
    # Beyond the BMP every valid code point is a glyph (none is a space).
    visible = np.where(in_bmp, ~_SEPARATES[clipped], codes <= 0x10FFFF)
    index = np.flatnonzero(visible)
    layer = TextLayer()
    if not len(index):
        return layer
    shown = codes[index]
    layer.chars = len(index)
    layer.garbled = int(np.count_nonzero(_GARBLES[clipped[index]] & in_bmp[index]))
    left, bottom, right, top = _loose_boxes(textpage, index)
    # A new word starts after a separator, and where the glyph moves off the line, jumps back, or sits a
    # whole em after the previous one with no space inserted (two table cells set against each other);
    # the height is the taller of the two glyphs, at least a point. Each test compares a character with
    # the one before it, so all of them are taken at once.
    height = top - bottom
    pair = np.where(height[1:] > height[:-1], height[1:], height[:-1])
    pair = np.where(pair > 1.0, pair, 1.0)
    cut = ((index[1:] - index[:-1] > 1)
           | (np.abs((bottom[1:] + top[1:]) - (bottom[:-1] + top[:-1])) > 1.2 * pair)
           | (left[1:] < left[:-1] - 0.5 * pair)
           | (left[1:] - right[:-1] > pair))
    starts = np.concatenate(([0], np.flatnonzero(cut) + 1))
    ends = np.append(starts[1:], len(index))
    x0, y0, x1, y1 = frame.boxes(np.minimum.reduceat(left, starts), np.minimum.reduceat(bottom, starts),
                                 np.maximum.reduceat(right, starts), np.maximum.reduceat(top, starts))
    text = "".join(map(chr, shown.tolist()))
    words = layer.words
    for start, end, a, b, c, d in zip(starts.tolist(), ends.tolist(), x0.tolist(), y0.tolist(), x1.tolist(),
                                      y1.tolist(), strict=True):
        word = text[start:end]
        if not word.isascii():
            word = unicodedata.normalize("NFKC", word).strip()
            if not word:
                continue
        words.append(Word(word, a, b, c, d, 1.0))
    return layer


def _loose_boxes(textpage: pdfium.PdfTextPage, index: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.float64], ...]:
    """``(left, bottom, right, top)`` of the characters at ``index``, in user space, as doubles."""
    rects = (ctypes.c_float * (4 * len(index)))()
    base = ctypes.addressof(rects)
    page = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    failed = [k for k, i in enumerate(index.tolist()) if not _LOOSE_BOX(page, i, base + k * _RECT)]
    boxes = np.ctypeslib.as_array(rects).reshape(-1, 4).astype(np.float64)
    for k in failed:
        # pdfium leaves the rectangle as it was: the previous character's box.
        boxes[k] = boxes[k - 1] if k else 0.0
    return boxes[:, 0], boxes[:, 3], boxes[:, 2], boxes[:, 1]


def _codes(raw: object) -> npt.NDArray[np.int64]:
    """Every character's code point, in char-index order: the page's text in one call, or one call per
    character where the two would not line up (characters outside the BMP come as surrogate pairs)."""
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    utf16 = buffer.raw[:max(0, written - 1) * 2]
    units: npt.NDArray[np.int64] | None = np.frombuffer(utf16, dtype="<u2").astype(np.int64)
    if units is not None and len(units) == count:
        if np.any((units >= 0xD800) & (units <= 0xDFFF)):
            # Surrogates: a lone one reads as U+FFFD (an unmappable glyph); pairs misalign the indexes.
            text = utf16.decode("utf-16-le", errors="replace")
            units = np.array([ord(ch) for ch in text], dtype=np.int64) if len(text) == count else None
        if units is not None:
            # pdfium marks a hyphen it judged to end a line as U+FFFE in the text (0x02 per character).
            return np.where(units == 0xFFFE, 2, units)
    return np.array([pdfium_c.FPDFText_GetUnicode(raw, index) for index in range(count)], dtype=np.int64)
