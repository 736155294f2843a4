"""One page image → words in points: preprocessing, tesseract, orientation retry, coordinates back."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from extraction.ocr import preprocess
from extraction.ocr.tesseract import TessWord, orientation, tesseract_words
from models.text import PageText, Word

# Paper noise (std of grey levels) above which a median filter helps more than it blurs the glyphs.
NOISY = 6.0
# Mean word confidence under which a page may be sideways or upside down, so OSD is asked. Upright
# pages, the common case, never pay for the OSD run.
DOUBTFUL = 0.62
SURE_ORIENTATION = 1.5


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
    rotation: int  # clockwise quarter turns applied (degrees) to make the page upright
    skew: float = 0.0
    scale: float = 1.0
    steps: list[str] = field(default_factory=list)

    def page(self, number: int) -> PageText:
        return PageText(number=number, width=self.width, height=self.height, words=self.words, source="ocr",
                        rotation=self.rotation)


def ocr_page(grey: np.ndarray, dpi: float, settings: OcrSettings) -> OcrResult:
    """``grey``: the page at ``dpi`` pixels per inch (8-bit). Words come back in points, top-left origin."""
    steps: list[str] = []
    glyph = preprocess.glyph_height(grey)
    factor = preprocess.scale_for(glyph, grey.size, settings.max_pixels)
    image = preprocess.resize(grey, factor)
    if factor != 1.0:
        steps.append(f"scale×{factor:.2f}")
    skew = preprocess.deskew_angle(image)
    image = preprocess.rotate(image, skew)
    if skew:
        steps.append(f"deskew {skew:+.1f}°")
    if preprocess.noise_level(image) > NOISY:
        image = preprocess.denoise(image)
        steps.append("denoise")
    image = preprocess.flatten_background(image, glyph * factor if glyph else None)
    effective_dpi = max(round(dpi * factor), 70)

    words = tesseract_words(image, languages=settings.languages, dpi=effective_dpi, timeout=settings.timeout)
    rotation = 0
    if _doubtful(words):
        turned = orientation(image, timeout=settings.timeout)
        if turned is not None and turned.rotate and turned.confidence >= SURE_ORIENTATION:
            upright = preprocess.turn(image, turned.rotate)
            retry = tesseract_words(upright, languages=settings.languages, dpi=effective_dpi,
                                    timeout=settings.timeout)
            if _quality(retry) > _quality(words):
                words, image, rotation = retry, upright, turned.rotate
                steps.append(f"turn {rotation}°")
    to_points = 72.0 / (dpi * factor)
    h, w = image.shape[:2]
    return OcrResult(words=[_word(t, to_points) for t in words], width=w * to_points, height=h * to_points,
                     rotation=rotation, skew=skew, scale=factor, steps=steps)


def _word(t: TessWord, to_points: float) -> Word:
    return Word(t.text, t.left * to_points, t.top * to_points, (t.left + t.width) * to_points,
                (t.top + t.height) * to_points, t.conf)


def _doubtful(words: list[TessWord]) -> bool:
    if len(words) < 3:
        return True
    return float(np.mean([w.conf for w in words])) < DOUBTFUL


def _quality(words: list[TessWord]) -> float:
    """Confident characters read: rewards both more text and surer text."""
    return sum(w.conf * len(w.text) for w in words if w.conf > 0.5)
