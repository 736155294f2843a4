"""The same invoice as it comes off a clinic's scanner: rasterised at 200-300 dpi and degraded (a
slight rotation, uneven lighting, blur, sensor noise, dust, JPEG artefacts), as PNG, JPEG, TIFF
(grey LZW or bilevel CCITT G4, as office scanners write) or an image-only PDF.

Degradation is seeded per invoice and uses no global random state; the noise comes from one fixed
tile per process, cut at seeded offsets, which keeps a page under a quarter of a second.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

_TILE = 4096


@dataclass(frozen=True)
class ScanSettings:
    fmt: str  # png | jpg | tif | pdf
    dpi: int
    angle: float
    blur: float
    noise: float
    light: float  # how uneven the lighting is (0 = flat)
    quality: int  # JPEG quality (jpg, pdf) or the artefact pass for others
    colour: bool
    bilevel: bool  # TIFF only: 1-bit G4


def choose_settings(rng: np.random.Generator, pages: int) -> ScanSettings:
    formats = ["png", "jpg", "tif", "pdf"] if pages == 1 else ["tif", "pdf"]
    weights = np.array([0.25, 0.3, 0.15, 0.3] if pages == 1 else [0.4, 0.6])
    fmt = str(rng.choice(formats, p=weights / weights.sum()))
    dpi = int(rng.choice([200, 200, 240, 300]))
    angle = float(rng.uniform(-3, 3)) if rng.random() < 0.85 else 0.0
    return ScanSettings(fmt=fmt, dpi=dpi, angle=round(angle, 2), blur=float(rng.uniform(0.45, 1.0)),
                        noise=float(rng.uniform(2.0, 3.0) if fmt == "png" else rng.uniform(2.5, 5.5)),
                        light=float(rng.uniform(0.0, 0.14)), quality=int(rng.integers(55, 81)),
                        colour=fmt == "jpg" and rng.random() < 0.3, bilevel=fmt == "tif" and rng.random() < 0.6)


@cache
def _noise_tile() -> np.ndarray:
    """Sensor noise around 128 (standard deviation 10), as 8-bit so it adds with saturation.

    Fixed seed: the tile is the same in every process, so a page degrades the same anywhere."""
    noise = np.random.default_rng(20240607).standard_normal((_TILE, _TILE), dtype=np.float32) * 10 + 128
    return np.clip(noise, 0, 255).astype(np.uint8)


def rasterise(pdf: bytes, dpi: int) -> list[np.ndarray]:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            array = bitmap.to_numpy()
            pages.append(np.ascontiguousarray(array[..., 0] if array.ndim == 3 else array))
        return pages
    finally:
        document.close()


def degrade(page: np.ndarray, s: ScanSettings, rng: np.random.Generator) -> np.ndarray:
    """All in 8 bits with OpenCV's saturating arithmetic: several times faster than floats."""
    h, w = page.shape
    # Uneven lighting: a smooth field from a coarse random grid.
    grid = np.clip(255 * (1.0 - s.light * rng.random((5, 4))), 0, 255).astype(np.uint8)
    field = cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
    img = cv2.multiply(page, field, scale=1 / 255)
    # Skew and a slight offset, as a sheet lies on the glass; the uncovered border is the lid's grey.
    matrix = np.asarray(cv2.getRotationMatrix2D((w / 2, h / 2), s.angle, 1.0), dtype=np.float64)
    shift = rng.uniform(-0.01, 0.01, size=2)
    matrix[0, 2] += float(shift[0]) * w
    matrix[1, 2] += float(shift[1]) * h
    border = int(rng.integers(225, 250))
    img = cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
    img = cv2.GaussianBlur(img, (0, 0), s.blur)
    if h <= _TILE and w <= _TILE:
        y0, x0 = int(rng.integers(0, _TILE - h + 1)), int(rng.integers(0, _TILE - w + 1))
        k = s.noise / 10
        img = cv2.addWeighted(img, 1.0, _noise_tile()[y0:y0 + h, x0:x0 + w], k, -128 * k)
    for _ in range(int(rng.integers(0, 12))):  # dust
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.circle(img, centre, int(rng.integers(1, 3)), int(rng.integers(40, 120)), -1)
    if s.fmt in ("png", "tif"):
        # Scanner background removal: paper becomes white, which is also what keeps lossless files small.
        lut = np.arange(256, dtype=np.uint8)
        lut[226:] = 255
        img = cv2.LUT(img, lut)
    return np.asarray(img, dtype=np.uint8)


def encode(pages: list[np.ndarray], s: ScanSettings, rng: np.random.Generator) -> bytes:
    dpi = (s.dpi, s.dpi)
    buffer = io.BytesIO()
    if s.fmt in ("png", "jpg"):
        image = _image(pages[0], s)
        if s.fmt == "png":
            image.save(buffer, "PNG", dpi=dpi, compress_level=1)
        else:
            image.save(buffer, "JPEG", dpi=dpi, quality=s.quality)
        return buffer.getvalue()
    if s.fmt == "tif":
        images = [_bilevel(p) if s.bilevel else Image.fromarray(p) for p in pages]
        images[0].save(buffer, "TIFF", dpi=dpi, compression="group4" if s.bilevel else "tiff_lzw",
                       save_all=True, append_images=images[1:])
        return buffer.getvalue()
    return _image_pdf(pages, s)


def _image(page: np.ndarray, s: ScanSettings) -> Image.Image:
    if not s.colour:
        return Image.fromarray(page)
    # A colour scan of white office paper: slightly warm, never pure white.
    channels = [cv2.multiply(page, np.full_like(page, level), scale=1 / 255) for level in (252, 247, 230)]
    return Image.fromarray(cv2.merge(channels))


def _bilevel(page: np.ndarray) -> Image.Image:
    _, bw = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return Image.fromarray(bw).convert("1")


def _image_pdf(pages: list[np.ndarray], s: ScanSettings) -> bytes:
    """An image-only PDF as a multifunction printer writes it: one JPEG per page, no text layer."""
    buffer = io.BytesIO()
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        canvas = Canvas(buffer, invariant=1)
        canvas.setCreator("Scan to PDF")
        for page in pages:
            h, w = page.shape
            width, height = w * 72 / s.dpi, h * 72 / s.dpi
            canvas.setPageSize((width, height))
            jpeg = io.BytesIO()
            Image.fromarray(page).save(jpeg, "JPEG", quality=s.quality)
            canvas.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width, height)
            canvas.showPage()
        canvas.save()
    finally:
        rl_config.useA85 = previous
    return buffer.getvalue()


def render_scan(pdf: bytes, rng: np.random.Generator) -> tuple[bytes, ScanSettings]:
    """The scanned rendering of a digital invoice PDF; returns the bytes and how they were made."""
    document = pdfium.PdfDocument(pdf)
    pages_count = len(document)
    document.close()
    settings = choose_settings(rng, pages_count)
    pages = [degrade(page, settings, rng) for page in rasterise(pdf, settings.dpi)]
    return encode(pages, settings, rng), settings
