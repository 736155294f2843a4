"""Page images for people: the review UI shows each page as a PNG at a chosen resolution, drawn in the
same frame as the word boxes (a PDF's crop box with its ``/Rotate`` applied; an image upright, scaled by
its dpi), so a box in points lands on the right pixels at any zoom."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from extraction.api import ReadLimits
from extraction.images import count_frames, image_dpi, open_image
from extraction.pdf.geometry import PageFrame
from extraction.pdf.opening import open_pdf
from extraction.pdf.raster import fitting_dpi
from models.errors import DocumentUnreadable, InputRefused

PDF = "application/pdf"
IMAGES = frozenset({"image/png", "image/jpeg", "image/tiff"})
# A viewer image needs no more than this, whatever is asked; it also bounds the work one request causes.
MAX_VIEW_PIXELS = 12_000_000


def render_page(data: bytes, media_type: str, page: int, dpi: int, limits: ReadLimits | None = None) -> bytes:
    """Page ``page`` (1-based) as PNG at about ``dpi`` pixels per inch (less if the page is huge)."""
    limits = limits or ReadLimits()
    if media_type == PDF:
        return _pdf_page(data, page, dpi, limits)
    if media_type in IMAGES:
        return _image_page(data, page, dpi, limits)
    raise InputRefused(f"A {media_type!r} document has no pages to show.", code="no_pages")


def _pdf_page(data: bytes, page: int, dpi: int, limits: ReadLimits) -> bytes:
    with open_pdf(data, limits) as document:
        if not 1 <= page <= len(document):
            raise DocumentUnreadable(f"The document has {len(document)} pages; there is no page {page}.",
                                     code="no_such_page")
        pdf_page = document[page - 1]
        try:
            scale = fitting_dpi(PageFrame.of(pdf_page), float(dpi), min(limits.max_pixels, MAX_VIEW_PIXELS),
                                minimum=1.0) / 72.0
            frame = PageFrame.of(pdf_page)
            # pdfium draws the page unrotated; the word boxes are in the displayed (rotated) frame.
            bitmap = pdf_page.render(scale=scale, rotation=frame.rotation, may_draw_forms=True)
            try:
                picture = bitmap.to_pil()
                return _png(picture.convert("RGB"))
            finally:
                bitmap.close()
        finally:
            pdf_page.close()


def _image_page(data: bytes, page: int, dpi: int, limits: ReadLimits) -> bytes:
    with open_image(data) as image:
        frames = count_frames(image, limits)
        if not 1 <= page <= frames:
            raise DocumentUnreadable(f"The image has {frames} pages; there is no page {page}.", code="no_such_page")
        image.seek(page - 1)
        width, height = image.size
        if width * height > limits.max_pixels:
            raise DocumentUnreadable(f"Page {page} is too large to show ({width:,} × {height:,} pixels).",
                                     code="image_too_large")
        source_dpi = image_dpi(image)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
            # The first frame's EXIF orientation is what the word boxes were read in (see images.py).
            upright = ImageOps.exif_transpose(image) if page == 1 else image
            rgb = upright.convert("RGB")
        factor = min(dpi / source_dpi, (MAX_VIEW_PIXELS / max(1, rgb.width * rgb.height)) ** 0.5)
        if abs(factor - 1.0) > 0.01:
            rgb = rgb.resize((max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor))),
                             Image.Resampling.LANCZOS)
        return _png(rgb)


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
