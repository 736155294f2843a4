"""Sample documents made by the tests themselves: real PDFs and images, built with reportlab and Pillow."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

INVOICE_LINES = (
    "ACME Medical Supplies GmbH",
    "Invoice number: INV-2024-0042",
    "Invoice date: 12.03.2024",
    "Nitrile gloves size M 20 x 4.50 = 90.00",
    "Total EUR 107.10",
)


def text_pdf(pages: int = 1, *, rotate: int = 0, lines: tuple[str, ...] = INVOICE_LINES) -> bytes:
    """A digital PDF: every page carries ``lines`` as real text at known places (72 pt from the left);
    ``rotate`` sets the pages' ``/Rotate`` (the viewer turns them clockwise)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    height = A4[1]
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 12)
        for i, line in enumerate(lines):
            c.drawString(72, height - 100 - 20 * i, line)
        c.drawString(72, 40, f"Page {number} of {pages}")
        c.showPage()
    c.save()
    return _rotated(out.getvalue(), rotate) if rotate else out.getvalue()


def _rotated(data: bytes, degrees: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_pdf(png: bytes, *, dpi: float = 300.0) -> bytes:
    """A scanned PDF: one page that is nothing but the given image, placed at ``dpi``."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    with Image.open(io.BytesIO(png)) as image:
        w, h = image.size
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(w * 72 / dpi, h * 72 / dpi))
    c.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width=w * 72 / dpi, height=h * 72 / dpi)
    c.showPage()
    c.save()
    return out.getvalue()
