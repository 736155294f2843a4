"""OpenCV clean-up of a scanned or photographed page before tesseract reads it.

Each step is a pure function from an 8-bit grey image to another, so each can be measured on its own:
``normalise_scale`` (DPI normalisation by measured glyph height, since scanners and phones lie about
resolution), ``deskew_angle``/``rotate`` (text lines made horizontal, so that words of one printed line
share a y), ``flatten_background`` (uneven lighting and paper tone of photos and faxes removed, contrast
stretched) and ``denoise`` (speckle from scanners and JPEG, only when the image is noisy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# Glyph heights (median of connected components, between x-height and cap height) tesseract reads well.
# Measured on degraded corpus renders and SROIE receipts: rescaling pages inside this band changes
# nothing but the time taken, so only pages outside it are rescaled, to the nearer target.
SMALL_GLYPH_PX, SMALL_TARGET_PX = 10.0, 16.0
LARGE_GLYPH_PX, LARGE_TARGET_PX = 50.0, 32.0
MAX_UPSCALE = 3.0
# tesseract follows a baseline this far off level by itself, and resampling a page costs a little
# sharpness, so smaller skews are left alone.
MIN_SKEW = 0.5
HALVE_ABOVE = 4_000_000
# Dark bands behind light text: looked for at a quarter of the resolution; darker than this grey, at
# least this share of the page wide, this many glyph heights thick, and dark over this share of their area.
BAND_SCALE = 0.25
BAND_DARK = 110
BAND_MIN_WIDTH = 0.15
BAND_MIN_GLYPHS = 0.8
BAND_MAX_GLYPHS = 6.0
BAND_FILLED = 0.6


@dataclass(frozen=True)
class Glyphs:
    """The glyph-sized dark components of a page: their heights, and their centres as ``n × 2`` (x, y)."""

    heights: np.ndarray
    centres: np.ndarray

    @property
    def median_height(self) -> float | None:
        """Median glyph height in pixels; ``None`` for a page with too little text to tell."""
        return float(np.median(self.heights)) if len(self.heights) >= 20 else None

    def moved(self, matrix: np.ndarray) -> Glyphs:
        """The same glyphs after the page went through the 2 × 3 affine ``matrix``."""
        if len(self.centres) == 0:
            return self
        ones = np.ones((len(self.centres), 1))
        return Glyphs(self.heights, np.hstack([self.centres, ones]) @ matrix.T)


def find_glyphs(grey: np.ndarray) -> Glyphs:
    """Connected components of glyph size, in ``grey``'s pixels.

    A page of more than ``HALVE_ABOVE`` pixels is measured at half size: its glyphs are still 10 pixels
    and more there, and the labelling costs a quarter.
    """
    half = grey.size > HALVE_ABOVE
    source = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA) if half else grey
    scale = 2.0 if half else 1.0
    _, ink = cv2.threshold(source, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return Glyphs(np.zeros(0), np.zeros((0, 2)))
    h = stats[1:, cv2.CC_STAT_HEIGHT] * scale
    w = stats[1:, cv2.CC_STAT_WIDTH] * scale
    area = stats[1:, cv2.CC_STAT_AREA] * scale * scale
    # Glyphs: taller than specks, not rules or frames, not solid blobs.
    keep = (h >= 6) & (h <= grey.shape[0] / 8) & (w <= h * 4) & (area >= 12) & (area <= h * w * 0.95)
    # A component's centre at half size, back in full-size pixel coordinates.
    points = (np.asarray(centres[1:][keep], dtype=np.float64) + 0.5) * scale - 0.5
    return Glyphs(h[keep].astype(np.float64), points)


def glyph_height(grey: np.ndarray) -> float | None:
    return find_glyphs(grey).median_height


def scale_for(glyph_px: float | None, pixels: int, max_pixels: int) -> float:
    """The factor that brings tiny glyphs up (a 150-dpi fax) and huge ones down (a 600-dpi receipt), else 1."""
    if glyph_px is None or glyph_px <= 0:
        return 1.0
    if glyph_px < SMALL_GLYPH_PX:
        return max(1.0, min(SMALL_TARGET_PX / glyph_px, MAX_UPSCALE, math.sqrt(max_pixels / max(pixels, 1))))
    if glyph_px > LARGE_GLYPH_PX:
        return LARGE_TARGET_PX / glyph_px
    return 1.0


def scaling(factor: float) -> np.ndarray:
    return np.array([[factor, 0.0, 0.0], [0.0, factor, 0.0]])


def rotation(shape: tuple[int, ...], angle: float) -> np.ndarray:
    """The affine ``rotate`` applies: about the centre, counter-clockwise positive, as cv2 has it."""
    h, w = shape[:2]
    return np.asarray(cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0))


def resize(grey: np.ndarray, factor: float) -> np.ndarray:
    if factor == 1.0:
        return grey
    interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=interpolation)


def deskew_angle(grey: np.ndarray, *, limit: float = 6.0) -> float:
    """The small rotation (degrees, counter-clockwise positive) that makes text lines horizontal.

    Projection profiles: at the right angle the rows of a page alternate between ink and gaps, so the
    histogram of ink projected on the vertical varies most. A sample of the ink pixels of a reduced copy
    is projected at each candidate angle (no image is rotated), coarse to fine.
    """
    small = _reduced(grey, 1000)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(xs) < 200:
        return 0.0
    if len(xs) > 30_000:
        step = len(xs) // 30_000 + 1
        xs, ys = xs[::step], ys[::step]
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64) - small.shape[0] / 2
    # One-pixel bins over a fixed span (the diagonal), so every angle is scored on the same scale.
    half = float(np.hypot(*small.shape[:2])) / 2
    best = _best_angle(xs, ys, np.arange(-limit, limit + 0.01, 0.5), half)
    best = _best_angle(xs, ys, np.arange(best - 0.5, best + 0.51, 0.1), half)
    return float(round(best, 2)) if abs(best) >= MIN_SKEW else 0.0


def _best_angle(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray, half: float) -> float:
    scores = []
    size = int(2 * half) + 2
    for angle in angles:
        # Where each ink pixel lands, vertically, once the page is turned by ``angle`` (as cv2 turns it).
        theta = np.deg2rad(angle)
        rows = (ys * np.cos(theta) - xs * np.sin(theta) + half).astype(np.int64)
        scores.append(float(np.var(np.bincount(rows, minlength=size))))
    return float(angles[int(np.argmax(scores))])


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotated about the centre on the same canvas, new corners white."""
    if angle == 0.0:
        return grey
    return _rotated(grey, angle, border=255)


def _rotated(image: np.ndarray, angle: float, *, border: int) -> np.ndarray:
    h, w = image.shape[:2]
    return cv2.warpAffine(image, rotation(image.shape, angle), (w, h), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def turn(grey: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    """A quarter-turn rotation (from OSD), exact and lossless."""
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    code = turns.get(degrees_clockwise % 360)
    return grey if code is None else cv2.rotate(grey, code)


def paper(grey: np.ndarray, glyph_px: float | None) -> np.ndarray:
    """The paper without the ink, at a reduced size: a closing wider than any glyph."""
    size = int(max(15, min(101, (glyph_px or 20) * 2.5))) | 1
    small = _reduced(grey, 800)
    k = max(3, int(size * small.shape[1] / grey.shape[1]) | 1)
    return cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))


def uneven_lighting(grey: np.ndarray, glyph_px: float | None) -> bool:
    """A photo's shadows and gradients, or dark surroundings: the paper is not one even tone."""
    tone = paper(grey, glyph_px)
    lo, hi = np.percentile(tone, (5, 95))
    return bool(hi - lo > 40 or hi < 170)


def flatten_background(grey: np.ndarray, glyph_px: float | None) -> np.ndarray:
    """Divide by the estimated paper (a closing wider than any glyph), then stretch the contrast.

    Shadows, gradients and tinted paper vanish; the ink keeps its shape for tesseract's own binarisation.
    """
    tone = cv2.resize(paper(grey, glyph_px), (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, tone, scale=255)
    lo, hi = np.percentile(flat, (1, 99.5))
    if hi - lo < 20:
        return flat
    return cv2.convertScaleAbs(flat, alpha=255.0 / (hi - lo), beta=-lo * 255.0 / (hi - lo))


def speckle_share(grey: np.ndarray) -> float:
    """The share of the paper covered by isolated dark specks (salt-and-pepper noise of faxes and dirty
    scanner glass), measured at full resolution on the central region.

    A 3 × 3 median erases a speck but keeps strokes of ordinary print at scanning resolutions, so a paper
    pixel far darker than its median is a speck. Sensor noise and JPEG artefacts hardly register (a clean
    render scores about 0.04 %, one with Gaussian noise of σ 25 the same), and neither do dot-matrix
    receipts (under 0.8 % on SROIE), whose dots the filter would erase.
    """
    h, w = grey.shape[:2]
    top, left = max(0, (h - 2000) // 2), max(0, (w - 2000) // 2)
    region = grey[top:top + 2000, left:left + 2000]
    median = cv2.medianBlur(region, 3)
    paper = median > 190
    total = int(paper.sum())
    if total < 1000:
        return 0.0
    specks = (region.astype(np.int16) < median.astype(np.int16) - 100) & paper
    return float(specks.sum()) / total


def denoise(grey: np.ndarray) -> np.ndarray:
    return cv2.medianBlur(grey, 3)


def _reduced(grey: np.ndarray, width: int) -> np.ndarray:
    if grey.shape[1] <= width:
        return grey
    factor = width / grey.shape[1]
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def invert_dark_bands(grey: np.ndarray, glyph_px: float | None) -> tuple[np.ndarray, int]:
    """Light text on dark bands (a table's header row on a coloured band, a reversed title) turned dark
    on light, which is all tesseract reads: it otherwise returns nothing for the band, and a table
    without its header row has no columns. A band is a wide region, dark over most of its area (its
    letters are the holes), a few glyphs high; ordinary lines of text are mostly paper between
    strokes and are left alone. Returns the image and how many bands were turned."""
    factor = BAND_SCALE
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    dark = (small < BAND_DARK).astype(np.uint8)
    if not dark.any():
        return grey, 0
    glyph = max(1.0, (glyph_px or 24.0) * factor)
    size = max(5, round(glyph * 1.2) | 1)  # wide enough to fill the letters, the band's holes
    closed = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    mask = np.zeros_like(dark)
    turned = 0
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        thickness = area / max(1, w)
        if w < BAND_MIN_WIDTH * small.shape[1] or not (BAND_MIN_GLYPHS * glyph <= thickness <= BAND_MAX_GLYPHS * glyph):
            continue
        inside = labels[y:y + h, x:x + w] == i
        if dark[y:y + h, x:x + w][inside].mean() < BAND_FILLED:
            continue  # mostly paper between strokes: a line of bold text, not a band
        mask[y:y + h, x:x + w][inside] = 1
        turned += 1
    if not turned:
        return grey, 0
    full = cv2.resize(mask, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)
    out = grey.copy()
    out[full] = 255 - out[full]
    return out, turned
