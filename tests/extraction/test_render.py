"""render_page: the viewer's PNG, on which the word boxes land where the words are drawn.

(First written by the review UI engineer while the module was missing; the cases are kept here.)"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from extraction.api import ReadLimits
from extraction.pages import read_pages
from extraction.render import render_page
from models.errors import DocumentUnreadable, InputRefused
from tests.extraction import hostile
from tests.extraction.samples import scan_of, small_invoice_pdf, text_pdf, tiff_of


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def _size_close(image: Image.Image, width_pt: float, height_pt: float, dpi: float) -> bool:
    """The page's size in pixels at ``dpi``, give or take the renderer's rounding."""
    return abs(image.width - width_pt * dpi / 72) <= 1.5 and abs(image.height - height_pt * dpi / 72) <= 1.5


def _ink_inside(image: Image.Image, box: tuple[float, float, float, float], dpi: float) -> float:
    grey = np.asarray(image.convert("L"))
    x0, y0, x1, y1 = (round(v * dpi / 72) for v in box)
    return float((grey[y0:y1, x0:x1] < 128).mean())


def test_a_pdf_page_at_the_viewer_resolution_with_boxes_on_the_words() -> None:
    pdf = text_pdf()
    image = _png(render_page(pdf, "application/pdf", 1, dpi=110))
    assert _size_close(image, 595.28, 841.89, 110)
    word = next(w for w in read_pages(pdf, "application/pdf", ReadLimits())[0].words if w.text == "INV-2024-0042")
    assert _ink_inside(image, (word.x0, word.y0, word.x1, word.y1), 110) > 0.1
    assert _ink_inside(image, (word.x0 + 300, word.y0, word.x1 + 300, word.y1), 110) == 0.0  # blank margin


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_rotated_pdf_page_is_shown_as_displayed_with_boxes_on_the_words(rotate: int) -> None:
    pdf = text_pdf(rotate=rotate)
    image = _png(render_page(pdf, "application/pdf", 1, dpi=72))
    assert (image.width > image.height) == (rotate != 180)
    word = next(w for w in read_pages(pdf, "application/pdf", ReadLimits())[0].words if w.text == "INV-2024-0042")
    assert _ink_inside(image, (word.x0, word.y0, word.x1, word.y1), 72) > 0.1


def test_an_image_page_is_scaled_from_its_own_resolution() -> None:
    scan = scan_of(small_invoice_pdf(), dpi=200)
    image = _png(render_page(scan, "image/png", 1, dpi=100))
    assert _size_close(image, 420, 298, 100)


def test_a_page_turned_by_ocr_is_shown_turned() -> None:
    scan = scan_of(small_invoice_pdf(), dpi=100, turn=90)
    image = _png(render_page(scan, "image/png", 1, dpi=100, rotate=270))
    assert image.width > image.height


def test_the_second_page_of_a_tiff() -> None:
    tiff = tiff_of([scan_of(small_invoice_pdf(), dpi=100), scan_of(text_pdf(), dpi=50)], dpi=100)
    assert _size_close(_png(render_page(tiff, "image/tiff", 2, dpi=100)), 595.28, 841.89, 50)


def test_a_page_that_is_not_there() -> None:
    with pytest.raises(DocumentUnreadable) as err:
        render_page(text_pdf(pages=2), "application/pdf", 3)
    assert err.value.code == "no_such_page"
    with pytest.raises(DocumentUnreadable) as err:
        render_page(scan_of(small_invoice_pdf(), dpi=50), "image/png", 2)
    assert err.value.code == "no_such_page"


def test_a_document_type_without_pages_is_refused() -> None:
    with pytest.raises(InputRefused) as err:
        render_page(b"<Invoice/>", "application/xml", 1, 72)
    assert err.value.code == "no_pages"


def test_a_huge_request_is_capped_for_the_viewer() -> None:
    image = _png(render_page(text_pdf(), "application/pdf", 1, dpi=1200))
    assert image.width * image.height <= 12_000_000


def test_a_huge_page_is_rendered_within_the_pixel_limit() -> None:
    image = _png(render_page(text_pdf(), "application/pdf", 1, dpi=2000, limits=ReadLimits(max_pixels=4_000_000)))
    assert image.width * image.height <= 4_000_000


def test_the_same_refusals_as_reading() -> None:
    with pytest.raises(DocumentUnreadable) as err:
        render_page(hostile.encrypted_pdf(), "application/pdf", 1)
    assert err.value.code == "pdf_encrypted"
    with pytest.raises(DocumentUnreadable) as err:
        render_page(hostile.png_header_only(20_000, 20_000), "image/png", 1)
    assert err.value.code == "image_too_large"
    with pytest.raises(InputRefused) as refused:
        render_page(hostile.javascript_pdf(), "application/pdf", 1)
    assert refused.value.code == "pdf_javascript"
