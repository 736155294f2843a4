"""Rendering a PDF page to a grey image for OCR or the viewer, within the pixel limit."""

from __future__ import annotations

import math

import numpy as np
import pypdfium2 as pdfium

from extraction.pdf.geometry import PageFrame
from models.errors import DocumentUnreadable

# Below this the text of an ordinary page is too small for tesseract to read reliably.
MIN_OCR_DPI = 150


def fitting_dpi(frame: PageFrame, dpi: float, max_pixels: int, *, minimum: float = MIN_OCR_DPI) -> float:
    """``dpi``, lowered as far as ``minimum`` so the rendered page stays within ``max_pixels``."""
    area_in2 = max(frame.width, 1.0) * max(frame.height, 1.0) / (72.0 * 72.0)
    if area_in2 * dpi * dpi <= max_pixels:
        return dpi
    fitted = math.floor(math.sqrt(max_pixels / area_in2))
    if fitted < minimum:
        raise DocumentUnreadable(
            f"A page measures {frame.width / 72:.0f} × {frame.height / 72:.0f} inches; rendering it legibly "
            f"would exceed the limit of {max_pixels:,} pixels.", code="page_too_large")
    return float(fitted)


def render_grey(page: pdfium.PdfPage, dpi: float) -> np.ndarray:
    """The page as displayed (its ``/Rotate`` applied), 8-bit grey, ``dpi`` pixels per inch."""
    bitmap = page.render(scale=dpi / 72.0, grayscale=True, may_draw_forms=True)
    try:
        array = bitmap.to_numpy()
        grey = array if array.ndim == 2 else array[:, :, 0]
        return np.ascontiguousarray(grey).copy()
    finally:
        bitmap.close()
