"""Page images for the viewer: the size follows the page's points at the asked dpi, rotation applied,
so word boxes in points land on the right pixels."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction.render import render_page
from models.errors import DocumentUnreadable, InputRefused


def _pdf(rotate: int = 0) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawString(72, 770, "Invoice 1")
    c.setPageRotation(rotate)
    c.showPage()
    c.save()
    return buf.getvalue()


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def test_a_pdf_page_is_drawn_at_the_asked_resolution() -> None:
    width, height = _size(render_page(_pdf(), "application/pdf", 1, 72))
    assert (abs(width - 595), abs(height - 842)) <= (1, 1)
    width, height = _size(render_page(_pdf(), "application/pdf", 1, 144))
    assert abs(width - 1191) <= 2


def test_a_rotated_page_is_drawn_as_displayed() -> None:
    width, height = _size(render_page(_pdf(rotate=90), "application/pdf", 1, 72))
    assert width > height


def test_an_image_is_scaled_by_its_own_dpi() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (600, 300), "white").save(buf, format="PNG", dpi=(300, 300))
    assert _size(render_page(buf.getvalue(), "image/png", 1, 150)) == (300, 150)


def test_pages_that_do_not_exist_and_types_without_pages_are_refused() -> None:
    with pytest.raises(DocumentUnreadable):
        render_page(_pdf(), "application/pdf", 2, 72)
    with pytest.raises(InputRefused):
        render_page(b"<Invoice/>", "application/xml", 1, 72)
