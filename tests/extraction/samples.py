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


def small_invoice_pdf(lines: tuple[str, ...] = INVOICE_LINES) -> bytes:
    """A half-size page (A6 landscape) with the invoice lines: small enough for quick OCR tests."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(420, 298))
    c.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        c.drawString(30, 260 - 22 * i, line)
    c.showPage()
    c.save()
    return out.getvalue()


def scan_of(pdf: bytes, *, dpi: int = 200, angle: float = 0.0, noise: float = 0.0, blur: int = 0,
            jpeg_quality: int | None = None, turn: int = 0, seed: int = 7) -> bytes:
    """The first page of ``pdf`` as a scanner would deliver it: rotated by ``angle`` degrees, blurred,
    noisy, JPEG-compressed, optionally turned a quarter ``turn`` (clockwise degrees); PNG or JPEG bytes
    carrying the ``dpi``."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    grey = document[0].render(scale=dpi / 72, grayscale=True).to_numpy()
    grey = np.ascontiguousarray(grey if grey.ndim == 2 else grey[:, :, 0])
    document.close()
    h, w = grey.shape
    if angle:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        grey = cv2.warpAffine(grey, matrix, (w, h), borderValue=255)
    if blur:
        grey = cv2.GaussianBlur(grey, (blur, blur), 0)
    if noise:
        rng = np.random.default_rng(seed)
        grey = np.clip(grey.astype(np.float64) + rng.normal(0, noise, grey.shape), 0, 255).astype(np.uint8)
    if turn:
        grey = np.ascontiguousarray(np.rot90(grey, k=-(turn // 90)))
    out = io.BytesIO()
    image = Image.fromarray(grey)
    if jpeg_quality:
        image.save(out, format="JPEG", quality=jpeg_quality, dpi=(dpi, dpi))
    else:
        image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def tiff_of(pages: list[bytes], *, dpi: int = 200) -> bytes:
    """A multi-page TIFF from page images (PNG/JPEG bytes)."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(p)).convert("L") for p in pages]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(dpi, dpi),
                   compression="tiff_deflate")
    return out.getvalue()


def scanned_pdf_with_text(png: bytes, text: list[tuple[float, float, str]], *, dpi: float = 200.0,
                          invisible: bool = False) -> bytes:
    """A scanned page (the image) with digital text on top: a stamp or page number (visible), or a
    scanner's own OCR layer (``invisible``: text render mode 3). ``text`` is ``(x, y_from_top, string)``."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    with Image.open(io.BytesIO(png)) as image:
        w, h = image.size
    width, height = w * 72 / dpi, h * 72 / dpi
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width=width, height=height)
    for x, y, string in text:
        t = c.beginText(x, height - y)
        t.setFont("Helvetica", 11)
        t.setTextRenderMode(3 if invisible else 0)
        t.textLine(string)
        c.drawText(t)
    c.showPage()
    c.save()
    return out.getvalue()
