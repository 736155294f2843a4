"""One page image → words in points: preprocessing, tesseract, recovery passes, coordinates back.

Measured on degraded corpus renders and SROIE receipts (``bench/extract_read.py`` and the tests), each
extra step runs only where it pays: a rescale only for glyphs outside what tesseract reads well, a
median filter only on noisy paper, background flattening only under uneven light, orientation (OSD)
only when the first reading is doubtful, and a second pass only over text the first one skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from extraction.fields.language import detect_language
from extraction.ocr import preprocess
from extraction.ocr.tesseract import TessWord, orientation, tesseract_words
from models.text import PageText, Word

# Share of the paper under isolated specks above which a median filter helps more than it harms:
# on degraded corpus pages with 1-2 % salt-and-pepper noise it raises the words read from 0.44-0.68 to
# 0.63-0.99 of the text layer's; on clean or merely grainy pages it only blurs.
SPECKLED = 0.009
# Mean word confidence under which a page may be sideways or upside down, so OSD is asked.
DOUBTFUL = 0.62
SURE_ORIENTATION = 1.5
# tesseract's page layout analysis sometimes drops a whole region (a column of amounts boxed by dashed
# rules on receipts). When this many glyphs lie outside every word read, the words found are blanked
# out and the rest is read again as one block.
MISSED_GLYPHS = 15
MISSED_SHARE = 0.05
RECOVERED_CONF = 0.6
MISSED_MARGIN = 3.0  # glyph heights around the missed glyphs' box, so their words are read whole
# Skew (degrees) beyond which the image is rotated level before tesseract reads it.
LEVEL_THE_IMAGE = 2.0
# Words read with less confidence than this are read again on their own (at most this many a page:
# beyond it the whole page is poor and a second reading of every word would cost a second OCR).
REREAD_BELOW = 0.6
REREAD_MAX = 40
REREAD_PAD = 0.6     # margin around a word's box, in word heights
REREAD_GAP = 24      # white pixels between cut-outs on the canvas
REREAD_MARGIN = 0.1  # the second reading must be this much surer to replace the first
_TESSERACT_CODES = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld"}


@dataclass(frozen=True)
class OcrSettings:
    languages: str
    timeout: float
    max_pixels: int


@dataclass
class OcrResult:
    words: list[Word]
    width: float   # points, upright frame
    height: float
    rotation: int  # clockwise degrees turned to make the page upright
    skew: float = 0.0
    scale: float = 1.0
    steps: list[str] = field(default_factory=list)

    def page(self, number: int) -> PageText:
        return PageText(number=number, width=self.width, height=self.height, words=self.words, source="ocr",
                        rotation=self.rotation)


@dataclass
class Prepared:
    image: np.ndarray
    glyphs: preprocess.Glyphs    # in ``image``'s pixels
    scale: float                 # ``image`` pixels per source pixel
    skew: float                  # degrees the page was found off level
    turned_image: bool           # whether the image itself was rotated by ``skew``
    steps: list[str]


def ocr_page(grey: np.ndarray, dpi: float, settings: OcrSettings) -> OcrResult:
    """``grey``: the page at ``dpi`` pixels per inch (8-bit). Words come back in points, top-left origin,
    levelled: the words of one printed line share a y even when the scan was skewed."""
    prep = prepare(grey, settings)
    image, glyphs, steps = prep.image, prep.glyphs, prep.steps
    effective_dpi = max(round(dpi * prep.scale), 70)
    level = 0.0 if prep.turned_image else prep.skew  # still to apply, to the word boxes

    def read(img: np.ndarray, psm: int = 3, languages: str = settings.languages) -> list[TessWord]:
        return tesseract_words(img, languages=languages, dpi=effective_dpi, timeout=settings.timeout, psm=psm)

    words = read(image)
    rotation = 0
    if _doubtful(words):
        turned = orientation(image, timeout=settings.timeout)
        if turned is not None and turned.rotate and turned.confidence >= SURE_ORIENTATION:
            upright = preprocess.turn(image, turned.rotate)
            retry = read(upright)
            # Words tesseract read sideways are right but useless for layout: an upright reading that
            # is nearly as good wins.
            bar = _quality(words) * (0.8 if _sideways(words) else 1.0)
            if _quality(retry) > bar:
                words, image, rotation = retry, upright, turned.rotate
                glyphs = preprocess.find_glyphs(image)
                level = preprocess.deskew_angle(image)
                steps.append(f"turn {rotation}°")
    missed = _missed_glyphs(image, glyphs, words)
    if missed is not None:
        # Only the stretch of the page where the missed glyphs lie is read again: a column of amounts
        # is a strip, and reading the whole page twice doubled the time of receipts.
        x0, y0, x1, y1 = missed
        found = read(_blank_out(image, words)[y0:y1, x0:x1], psm=6,
                     languages=_languages_of(words, settings.languages))
        recovered = [TessWord(w.text, w.left + x0, w.top + y0, w.width, w.height, w.conf, w.block, w.line)
                     for w in found if _plausible(w)]
        if recovered:
            words = words + recovered
            steps.append(f"recovered {len(recovered)} words")
    doubtful = [w for w in words if w.conf < REREAD_BELOW and sum(ch.isalnum() for ch in w.text) >= 2]
    if doubtful and len(doubtful) <= REREAD_MAX:
        words, improved = _reread(image, words, doubtful, _languages_of(words, settings.languages),
                                  effective_dpi, settings.timeout)
        if improved:
            steps.append(f"re-read {improved} of {len(doubtful)} doubtful words")
    if level:
        words = _levelled(words, preprocess.rotation(image.shape, level), level)
    to_points = 72.0 / (dpi * prep.scale)
    h, w = image.shape[:2]
    return OcrResult(words=[_word(t, to_points) for t in words], width=w * to_points, height=h * to_points,
                     rotation=rotation, skew=prep.skew, scale=prep.scale, steps=steps)


def prepare(grey: np.ndarray, settings: OcrSettings) -> Prepared:
    """The image tesseract will read, and what was done to it."""
    steps: list[str] = []
    glyphs = preprocess.find_glyphs(grey)
    glyph = glyphs.median_height
    factor = preprocess.scale_for(glyph, grey.size, settings.max_pixels)
    image = preprocess.resize(grey, factor)
    if factor != 1.0:
        glyphs = glyphs.moved(preprocess.scaling(factor))
        steps.append(f"scale×{factor:.2f}")
    glyph = glyph * factor if glyph else None
    skew = preprocess.deskew_angle(image)
    # tesseract reads lines a few degrees off level as well as level ones (measured on the degraded
    # corpus scans), so a small skew is corrected on the word boxes afterwards, saving a resampling of
    # the page that costs time and a little sharpness; a larger one is taken out of the image first.
    turned_image = abs(skew) > LEVEL_THE_IMAGE
    if turned_image:
        glyphs = glyphs.moved(preprocess.rotation(image.shape, skew))
        image = preprocess.rotate(image, skew)
    if skew:
        steps.append(f"deskew {skew:+.1f}°" + ("" if turned_image else " (boxes)"))
    image, bands = preprocess.invert_dark_bands(image, glyph)
    if bands:
        steps.append(f"inverted {bands} dark band{'s' if bands > 1 else ''}")
    if preprocess.speckle_share(image) > SPECKLED:
        image = preprocess.denoise(image)
        steps.append("denoise")
    if preprocess.uneven_lighting(image, glyph):
        image = preprocess.flatten_background(image, glyph)
        steps.append("flatten")
    return Prepared(image, glyphs, factor, skew, turned_image, steps)


def _reread(image: np.ndarray, words: list[TessWord], doubtful: list[TessWord], languages: str, dpi: int,
            timeout: float) -> tuple[list[TessWord], int]:
    """A second reading of the words tesseract was unsure of, each cut out on its own: its line finder
    sometimes joins a label column with a value column a few pixels higher across a wide gap and then
    misreads both ("Datum 8. Juni 2025" read as "pau SU 2025"), which the same glyphs alone do not
    suffer. The cut-outs are stacked on one canvas, so this is one more tesseract run per page, and only
    pages with doubtful words pay it. A word is replaced where the second reading is surer."""
    height, width = image.shape[:2]
    crops: list[tuple[int, int, int, np.ndarray]] = []  # (canvas top, crop x0, crop y0, pixels)
    top = REREAD_GAP
    for w in doubtful:
        pad = max(2, int(REREAD_PAD * w.height))
        x0, y0 = max(0, w.left - pad), max(0, w.top - pad)
        x1, y1 = min(width, w.left + w.width + pad), min(height, w.top + w.height + pad)
        crop = image[y0:y1, x0:x1]
        crops.append((top, x0, y0, crop))
        top += crop.shape[0] + REREAD_GAP
    canvas = np.full((top, max(c[3].shape[1] for c in crops) + 2 * REREAD_GAP), 255, dtype=image.dtype)
    for canvas_top, _, _, crop in crops:
        canvas[canvas_top:canvas_top + crop.shape[0], REREAD_GAP:REREAD_GAP + crop.shape[1]] = crop
    found = tesseract_words(canvas, languages=languages, dpi=dpi, timeout=timeout, psm=6)
    replacements: dict[int, list[TessWord]] = {}
    for t in found:
        cy = t.top + t.height / 2
        k = next((i for i, c in enumerate(crops) if c[0] <= cy < c[0] + c[3].shape[0]), None)
        if k is None:
            continue
        canvas_top, x0, y0, _ = crops[k]
        # A cut-out's edge reads as a stroke ("Juni!", "Datum|"): not part of the word.
        text = t.text.rstrip("!|") or t.text
        moved = TessWord(text, t.left - REREAD_GAP + x0, t.top - canvas_top + y0, t.width, t.height, t.conf,
                         doubtful[k].block, doubtful[k].line)
        old = doubtful[k]
        centre = moved.left + moved.width / 2
        if old.left <= centre <= old.left + old.width:  # not a neighbour caught in the margin
            replacements.setdefault(k, []).append(moved)
    out: list[TessWord] = []
    improved = 0
    index = {id(w): k for k, w in enumerate(doubtful)}
    for w in words:
        k = index.get(id(w))
        new = replacements.get(k) if k is not None else None
        if new and min(n.conf for n in new) > w.conf + REREAD_MARGIN:
            out.extend(new)
            improved += 1
        else:
            out.append(w)
    return out, improved


def _languages_of(words: list[TessWord], languages: str) -> str:
    """The page's language (with English, for the words every invoice borrows) when the first reading
    tells it: loading one or two of tesseract's models instead of six makes the second run cheap."""
    lang = detect_language(w.text for w in words if w.conf >= 0.8)
    code = _TESSERACT_CODES.get(lang or "")
    available = set(languages.split("+"))
    if code is None or code not in available or "eng" not in available:
        return languages
    return "eng" if code == "eng" else f"{code}+eng"


def _levelled(words: list[TessWord], matrix: np.ndarray, angle: float) -> list[TessWord]:
    """Word boxes moved as the page would be by rotating it level: each centre through ``matrix``, each
    box shrunk back from the upright box around a tilted word to the word's own size."""
    sin, cos = abs(np.sin(np.deg2rad(angle))), np.cos(np.deg2rad(angle))
    out = []
    for t in words:
        cx, cy = t.left + t.width / 2.0, t.top + t.height / 2.0
        nx = matrix[0, 0] * cx + matrix[0, 1] * cy + matrix[0, 2]
        ny = matrix[1, 0] * cx + matrix[1, 1] * cy + matrix[1, 2]
        denominator = cos * cos - sin * sin
        width = (t.width * cos - t.height * sin) / denominator
        height = (t.height * cos - t.width * sin) / denominator
        width = width if width > 0.5 * t.width else float(t.width)
        height = height if height > 0.5 * t.height else float(t.height)
        out.append(TessWord(t.text, round(nx - width / 2), round(ny - height / 2), round(width), round(height),
                            t.conf, t.block, t.line))
    return out


def _missed_glyphs(image: np.ndarray, glyphs: preprocess.Glyphs,
                   words: list[TessWord]) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1, with a margin) around the glyphs no word covers, when there are enough
    of them to be text tesseract's layout analysis dropped; None otherwise."""
    centres = glyphs.centres
    if len(centres) == 0:
        return None
    covered = np.zeros(image.shape[:2], dtype=bool)
    for w in words:
        covered[max(0, w.top - 3):w.top + w.height + 3, max(0, w.left - 3):w.left + w.width + 3] = True
    xs = np.clip(centres[:, 0].astype(int), 0, image.shape[1] - 1)
    ys = np.clip(centres[:, 1].astype(int), 0, image.shape[0] - 1)
    outside = ~covered[ys, xs]
    count = int(outside.sum())
    if count < MISSED_GLYPHS or count < MISSED_SHARE * len(centres):
        return None
    margin = int(MISSED_MARGIN * (glyphs.median_height or 20))
    height, width = image.shape[:2]
    return (max(0, int(xs[outside].min()) - margin), max(0, int(ys[outside].min()) - margin),
            min(width, int(xs[outside].max()) + margin), min(height, int(ys[outside].max()) + margin))


def _blank_out(image: np.ndarray, words: list[TessWord]) -> np.ndarray:
    blank = image.copy()
    for w in words:
        blank[max(0, w.top - 2):w.top + w.height + 2, max(0, w.left - 2):w.left + w.width + 2] = 255
    return blank


def _plausible(word: TessWord) -> bool:
    return word.conf >= RECOVERED_CONF and any(ch.isalnum() for ch in word.text)


def _word(t: TessWord, to_points: float) -> Word:
    return Word(t.text, t.left * to_points, t.top * to_points, (t.left + t.width) * to_points,
                (t.top + t.height) * to_points, t.conf)


def _doubtful(words: list[TessWord]) -> bool:
    """Too little read, read without confidence, or read sideways (tesseract reads vertical lines of a
    page turned a quarter, but gives their boxes standing up)."""
    if len(words) < 3:
        return True
    return float(np.mean([w.conf for w in words])) < DOUBTFUL or _sideways(words)


def _sideways(words: list[TessWord]) -> bool:
    long_words = [w for w in words if len(w.text) >= 3]
    standing = sum(1 for w in long_words if w.height > w.width)
    return bool(long_words) and standing > 0.5 * len(long_words)


def _quality(words: list[TessWord]) -> float:
    """Confident characters read: rewards both more text and surer text."""
    return sum(w.conf * len(w.text) for w in words if w.conf > 0.5)
