"""A page as a PNG for the review UI's viewer, under the same limits as reading.

Boxes from ``read_pages`` are in points from the page's top-left as displayed, so a box maps onto this
image by multiplying with ``dpi / 72``. For a page OCR had to turn upright, pass its ``PageText.rotation``
as ``rotate`` to show the page the way its words were read.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

from extraction.api import ReadLimits
from extraction.images import view_frame
from extraction.pdf.geometry import PageFrame
from extraction.pdf.opening import open_pdf, page_unreadable
from extraction.pdf.raster import fitting_dpi
from extraction.pdf.serial import PDFIUM
from models.errors import DocumentUnreadable, InputRefused

PDF = "application/pdf"
IMAGES = frozenset({"image/png", "image/jpeg", "image/tiff"})
_TURNS = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
# A viewer image needs no more than this whatever is asked; it also bounds the work one request causes.
MAX_VIEW_PIXELS = 12_000_000


def render_page(data: bytes, media_type: str, page: int, dpi: int = 110, *, rotate: int = 0,
                limits: ReadLimits | None = None) -> bytes:
    """Page ``page`` (1-based) as PNG bytes at ``dpi`` (lowered if the page would exceed the pixel limit),
    turned ``rotate`` degrees clockwise."""
    limits = limits or ReadLimits()
    if media_type == PDF:
        image = _pdf_page(data, page, dpi, limits)
    elif media_type in IMAGES:
        image = _image_page(data, page, dpi, limits)
    else:
        raise InputRefused(f"A file of type {media_type!r} has no pages to show.", code="no_pages")
    if rotate % 360 in _TURNS:
        image = image.transpose(_TURNS[rotate % 360])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


def _pdf_page(data: bytes, number: int, dpi: int, limits: ReadLimits) -> Image.Image:
    # Rendering one page is short: the lock is held for all of it (the UI renders from a thread pool).
    with PDFIUM, open_pdf(data, limits) as document:
        if not 1 <= number <= len(document):
            raise DocumentUnreadable(f"The PDF has {len(document)} page(s); there is no page {number}.",
                                     code="no_such_page")
        try:
            page = document[number - 1]
        except pdfium.PdfiumError as exc:
            raise page_unreadable(number, exc) from exc
        try:
            pixels = min(limits.max_pixels, MAX_VIEW_PIXELS)
            scale = fitting_dpi(PageFrame.of(page), float(dpi), pixels, minimum=1.0) / 72.0
            # pdfium draws the page as displayed (its /Rotate applied): the frame of the word boxes.
            bitmap = page.render(scale=scale, may_draw_forms=True)
            try:
                picture: Image.Image = bitmap.to_pil().convert("RGB")
                return picture
            finally:
                bitmap.close()
        except pdfium.PdfiumError as exc:
            raise page_unreadable(number, exc) from exc
        finally:
            page.close()


def _image_page(data: bytes, number: int, dpi: int, limits: ReadLimits) -> Image.Image:
    image, image_dpi = view_frame(data, number, limits)
    factor = min(dpi / image_dpi, (MAX_VIEW_PIXELS / max(1, image.width * image.height)) ** 0.5)
    if abs(factor - 1.0) < 0.02:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS if factor < 1 else Image.Resampling.BICUBIC)
