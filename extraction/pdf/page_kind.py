"""Whether a PDF page's text layer can be used, or the page must be read by OCR."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extraction.pdf.geometry import PageFrame
from extraction.pdf.text_layer import TextLayer

# A page showing fewer characters than this in its text layer has no usable text (a scan, or a page
# whose text was converted to outlines), unless it is blank.
MIN_TEXT_CHARS = 12
# Unmappable glyph codes beyond this share make the layer gibberish (fonts without a Unicode map).
MAX_GARBLED_SHARE = 0.25
# A scan with a little digital text stamped on it (a page number, an inbox stamp): mostly image, little
# text. Pages with a scanner's own invisible OCR layer have far more text than this and keep it.
HYBRID_IMAGE_SHARE = 0.5
HYBRID_MAX_CHARS = 160


def needs_ocr(page: pdfium.PdfPage, frame: PageFrame, layer: TextLayer) -> bool:
    if layer.chars >= MIN_TEXT_CHARS and layer.garbled_share > MAX_GARBLED_SHARE:
        return True
    if layer.chars < MIN_TEXT_CHARS:
        return _has_content(page)
    return layer.chars < HYBRID_MAX_CHARS and image_share(page, frame) >= HYBRID_IMAGE_SHARE


def _has_content(page: pdfium.PdfPage) -> bool:
    return bool(pdfium_c.FPDFPage_CountObjects(page.raw) > 0)


def image_share(page: pdfium.PdfPage, frame: PageFrame) -> float:
    """The share of the page's area covered by images (overlaps counted once per image, capped at 1)."""
    area = max(frame.width * frame.height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        x0, y0, x1, y1 = frame.box(left, bottom, right, top)
        w = max(0.0, min(x1, frame.width) - max(x0, 0.0))
        h = max(0.0, min(y1, frame.height) - max(y0, 0.0))
        covered += w * h
    return min(covered / area, 1.0)
