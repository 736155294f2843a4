"""Decoding PNG, JPEG and TIFF pages with the pixel and page limits checked before any pixel is decoded.

Pillow reads an image's size from its header without decoding, so an oversized image (a 20,000 ×
20,000 PNG, or a decompression bomb that declares huge dimensions in a small file) is refused in
milliseconds. Pillow's own guard, ``Image.MAX_IMAGE_PIXELS``, is process-wide and fixed, so it stays at
its default as a backstop while the per-call ``ReadLimits.max_pixels`` is what decides: a warning from
Pillow for an image already within our limit is silenced, and its ``DecompressionBombError`` becomes a
refusal like ours.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from extraction.api import ReadLimits
from models.errors import DocumentUnreadable

# When the file does not say its resolution (or says something implausible), a page is taken to be
# scanned at this many dots per inch; it only sets the size of the point coordinates.
ASSUMED_DPI = 300.0
_PLAUSIBLE_DPI = (50.0, 2400.0)
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, UnidentifiedImageError, Image.DecompressionBombError,
                  MemoryError, struct.error, TypeError, KeyError, IndexError, ZeroDivisionError)


@dataclass
class ImagePage:
    number: int
    grey: np.ndarray
    dpi: float


def count_frames(image: Image.Image, limits: ReadLimits) -> int:
    """Frames (TIFF pages), counted only up to one past the limit so a 1,000-page TIFF costs nothing."""
    frames = 0
    try:
        while frames <= limits.max_pages:
            image.seek(frames)
            _check_pixels(image, limits, frames + 1)
            frames += 1
    except EOFError:
        pass
    except Image.DecompressionBombError as exc:
        raise _bomb(exc) from exc
    except _DECODE_ERRORS as exc:
        # A later page whose header is damaged (Pillow raises TypeError, SyntaxError… from seek).
        raise DocumentUnreadable(f"Page {frames + 1} of the image is damaged: {_reason(exc)}.",
                                 code="image_corrupt") from exc
    finally:
        with contextlib.suppress(*_DECODE_ERRORS):
            image.seek(0)
    if frames > limits.max_pages:
        raise DocumentUnreadable(f"The image file has more than {limits.max_pages} pages; documents are limited "
                                 f"to {limits.max_pages} pages. Split it and submit the parts separately.",
                                 code="too_many_pages")
    if frames == 0:
        raise DocumentUnreadable("The image file has no pages.", code="image_no_pages")
    return frames


def read_image_pages(data: bytes, limits: ReadLimits) -> Iterator[ImagePage]:
    """Each page as 8-bit grey, EXIF orientation applied (a phone photo upright as its viewer shows it)."""
    with open_image(data) as image:
        frames = count_frames(image, limits)
        for index in range(frames):
            grey = decode_frame(image, index, limits)
            x_dpi, y_dpi = resolutions(image)
            yield ImagePage(index + 1, _square(grey, x_dpi, y_dpi), x_dpi)


def _square(grey: np.ndarray, x_dpi: float, y_dpi: float) -> np.ndarray:
    """Pixels made square: a standard-mode fax is 204 × 98 dpi, its text squashed to half height."""
    if abs(y_dpi - x_dpi) <= 0.05 * x_dpi:
        return grey
    height = max(1, round(grey.shape[0] * x_dpi / y_dpi))
    return np.ascontiguousarray(cv2.resize(grey, (grey.shape[1], height), interpolation=cv2.INTER_CUBIC))


def open_image(data: bytes) -> Image.Image:
    """The image with only its header read; Pillow's bomb check already runs here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": decoding decides
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise _bomb(exc) from exc
    except _DECODE_ERRORS as exc:
        raise DocumentUnreadable(f"The image cannot be read: {_reason(exc)}.", code="image_corrupt") from exc


def _bomb(exc: Image.DecompressionBombError) -> DocumentUnreadable:
    """Pillow's own guard fired (its limit is process-wide, ours per call): say it in our words."""
    size = re.search(r"Image size \((\d+) pixels\)", str(exc))
    pixels = f"{int(size.group(1)) / 1e6:,.0f} megapixels" if size else "too many pixels"
    return DocumentUnreadable(f"The image has {pixels}, more than can be decoded safely; scan at 300 dpi or "
                              "less.", code="image_too_large")


def decode_frame(image: Image.Image, index: int, limits: ReadLimits) -> np.ndarray:
    try:
        image.seek(index)
        _check_pixels(image, limits, index + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": the pixels are still fine
            image.load()
            upright = ImageOps.exif_transpose(image) if index == 0 else image
            grey = _to_grey(upright)
    except DocumentUnreadable:
        raise
    except Image.DecompressionBombError as exc:
        raise _bomb(exc) from exc
    except _DECODE_ERRORS as exc:
        raise DocumentUnreadable(f"The image is damaged and cannot be decoded: {_reason(exc)}.",
                                 code="image_corrupt") from exc
    return grey


def view_frame(data: bytes, page: int, limits: ReadLimits) -> tuple[Image.Image, float]:
    """Page ``page`` (1-based) in colour for the viewer, EXIF orientation applied, and its dpi."""
    with open_image(data) as image:
        frames = count_frames(image, limits)
        if not 1 <= page <= frames:
            raise DocumentUnreadable(f"The image has {frames} page(s); there is no page {page}.",
                                     code="no_such_page")
        try:
            image.seek(page - 1)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image.load()
                shown = ImageOps.exif_transpose(image) if page == 1 else image
                rgb = _to_grey(shown) if shown.mode in ("I;16", "I;16B", "I;16L", "I") else None
                view = Image.fromarray(rgb) if rgb is not None else _flattened(shown).convert("RGB")
                x_dpi, y_dpi = resolutions(image)
                if abs(y_dpi - x_dpi) > 0.05 * x_dpi:
                    view = view.resize((view.width, max(1, round(view.height * x_dpi / y_dpi))))
        except Image.DecompressionBombError as exc:
            raise _bomb(exc) from exc
        except _DECODE_ERRORS as exc:
            raise DocumentUnreadable(f"The image is damaged and cannot be decoded: {_reason(exc)}.",
                                     code="image_corrupt") from exc
        return view, image_dpi(image)


def image_dpi(image: Image.Image) -> float:
    """The horizontal resolution; pages are read with square pixels at this resolution."""
    return resolutions(image)[0]


def resolutions(image: Image.Image) -> tuple[float, float]:
    """Horizontal and vertical dots per inch, ``ASSUMED_DPI`` where missing or implausible."""
    dpi = image.info.get("dpi")
    values = list(dpi[:2]) if isinstance(dpi, tuple | list) else [dpi, dpi]
    lo, hi = _PLAUSIBLE_DPI
    out = []
    for value in values:
        try:
            number = float(value) if value else 0.0
        except (TypeError, ValueError):
            number = 0.0
        out.append(number if lo <= number <= hi else 0.0)
    x, y = out + [0.0] * (2 - len(out))
    x, y = x or y or ASSUMED_DPI, y or x or ASSUMED_DPI
    return x, y


def _check_pixels(image: Image.Image, limits: ReadLimits, page: int) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise DocumentUnreadable(f"Page {page} of the image has no pixels.", code="image_corrupt")
    if width * height > limits.max_pixels:
        raise DocumentUnreadable(
            f"Page {page} of the image is {width:,} × {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
            f"images are limited to {limits.max_pixels / 1e6:.0f} megapixels. Scan at 300 dpi or less.",
            code="image_too_large")


def _flattened(image: Image.Image) -> Image.Image:
    """Transparent areas made white: they are paper, not ink."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba)
    return image


def _to_grey(image: Image.Image) -> np.ndarray:
    image = _flattened(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = float(array.max()) or 1.0
        return np.ascontiguousarray((array * (255.0 / peak)).astype(np.uint8))
    return np.ascontiguousarray(np.asarray(image.convert("L"), dtype=np.uint8))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__
