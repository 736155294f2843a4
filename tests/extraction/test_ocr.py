"""The OCR path: degraded scans, turned pages, scanned PDFs, TIFFs, receipts; tesseract's limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.api import ReadLimits
from extraction.ocr.engine import OcrSettings, ocr_page
from extraction.ocr.tesseract import tesseract_words
from extraction.pages import read_pages
from models.errors import TransientError
from tests.extraction.samples import image_pdf, scan_of, small_invoice_pdf, tiff_of

LIMITS = ReadLimits(ocr_languages="eng+deu")


def _texts(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.text for w in page.words]


def test_a_degraded_scan_gives_invoice_number_date_and_total() -> None:
    """Skewed 2.5°, blurred, noisy, JPEG at quality 45, 200 dpi: the key values come out intact."""
    scan = scan_of(small_invoice_pdf(), dpi=200, angle=2.5, blur=3, noise=12, jpeg_quality=45)
    page = read_pages(scan, "image/jpeg", ReadLimits())[0]  # every configured language, as in production
    texts = _texts(page)
    assert page.source == "ocr"
    assert {"INV-2024-0042", "12.03.2024", "107.10"} <= set(texts)
    # Boxes in points: 420 × 298 pt page, the number's line drawn 60 pt from the top (baseline).
    assert page.width == pytest.approx(420, abs=1) and page.height == pytest.approx(298, abs=1)
    number = next(w for w in page.words if w.text == "INV-2024-0042")
    assert 45 < number.y0 < number.y1 < 65
    assert 0.5 < number.conf <= 1.0


def test_words_of_a_deskewed_line_share_a_line() -> None:
    scan = scan_of(small_invoice_pdf(), dpi=200, angle=-3.0, noise=6)
    page = read_pages(scan, "image/png", LIMITS)[0]
    line = [w for w in page.words if w.text in ("ACME", "Medical", "Supplies", "GmbH")]
    assert len(line) == 4
    assert max(w.cy for w in line) - min(w.cy for w in line) < 4  # points


def test_a_speckled_fax_is_cleaned_before_reading() -> None:
    import numpy as np

    from extraction.images import read_image_pages

    grey = next(read_image_pages(scan_of(small_invoice_pdf(), dpi=250), LIMITS)).grey.copy()
    draw = np.random.default_rng(5).random(grey.shape)
    grey[draw < 0.02] = 0  # 4 % of the pixels flipped black or white
    grey[draw > 0.98] = 255
    result = ocr_page(grey, 250, OcrSettings("eng+deu", 30, 50_000_000))
    assert "denoise" in result.steps
    assert {"INV-2024-0042", "107.10"} <= {w.text for w in result.words}


@pytest.mark.parametrize("turn", [90, 180])
def test_a_turned_page_is_read_upright(turn: int) -> None:
    scan = scan_of(small_invoice_pdf(), dpi=200, turn=turn, noise=4)
    page = read_pages(scan, "image/png", LIMITS)[0]
    assert page.rotation == (360 - turn) % 360  # clockwise degrees that turned it upright
    assert (round(page.width), round(page.height)) == (420, 298)
    assert {"INV-2024-0042", "107.10"} <= set(_texts(page))
    total = next(w for w in page.words if w.text == "107.10")
    assert total.x1 - total.x0 > total.y1 - total.y0  # lying, not standing


def test_a_scanned_pdf_page_is_read_by_ocr_in_points() -> None:
    pdf = image_pdf(scan_of(small_invoice_pdf(), dpi=200, noise=5), dpi=200)
    page = read_pages(pdf, "application/pdf", LIMITS)[0]
    assert page.source == "ocr"
    assert (round(page.width), round(page.height)) == (420, 298)
    assert "INV-2024-0042" in _texts(page)


def test_every_page_of_a_tiff_is_read() -> None:
    first = scan_of(small_invoice_pdf(), dpi=200)
    second = scan_of(small_invoice_pdf(("Page two", "Delivery note DN-77")), dpi=200)
    pages = read_pages(tiff_of([first, second]), "image/tiff", LIMITS)
    assert [p.number for p in pages] == [1, 2]
    assert "INV-2024-0042" in _texts(pages[0])
    assert "DN-77" in _texts(pages[1])


def test_a_tesseract_run_past_its_time_is_stopped_as_transient() -> None:
    scan = scan_of(small_invoice_pdf(), dpi=200)
    from extraction.images import read_image_pages

    grey = next(read_image_pages(scan, LIMITS)).grey
    with pytest.raises(TransientError) as err:
        tesseract_words(grey, languages="eng", dpi=200, timeout=0.001)
    assert err.value.code == "ocr_timeout"


def test_a_page_without_text_gives_no_words() -> None:
    import numpy as np

    blank = np.full((600, 400), 255, dtype=np.uint8)
    result = ocr_page(blank, 200, OcrSettings("eng", 30, 10_000_000))
    assert result.words == []


def test_a_photographed_receipt(corpus_dir: Path) -> None:
    """SROIE receipt 469: the total sits in a column tesseract's layout analysis drops; it is recovered."""
    path = corpus_dir / "sroie" / "sroie_469.jpg"
    truth = json.loads(path.with_suffix(".truth.json").read_text())
    page = read_pages(path.read_bytes(), "image/jpeg", ReadLimits())[0]
    texts = _texts(page)
    assert truth["total_amount"] in texts
    assert "22/05/2017" in texts and truth["invoice_date"] == "2017-05-22"


def test_a_standard_mode_fax_with_half_height_pixels_is_read_square() -> None:
    """204 × 102 dpi (the ratio of a standard-mode fax), Group 4, two pages: boxes come back in true points."""
    import io

    import numpy as np
    from PIL import Image

    from extraction.images import read_image_pages

    square = next(read_image_pages(scan_of(small_invoice_pdf(), dpi=204), LIMITS)).grey
    squashed = Image.fromarray(square).resize((square.shape[1], square.shape[0] // 2)).point(
        lambda v: 255 if v > 160 else 0).convert("1")
    out = io.BytesIO()
    squashed.save(out, format="TIFF", compression="group4", dpi=(204, 102), save_all=True,
                  append_images=[squashed])
    pages = read_pages(out.getvalue(), "image/tiff", LIMITS)
    assert len(pages) == 2
    assert (round(pages[0].width), round(pages[0].height)) == pytest.approx((420, 298), abs=2)
    number = next(w for w in pages[0].words if w.text == "INV-2024-0042")
    assert 45 < number.y0 < number.y1 < 65
    assert np.isclose(pages[1].height, pages[0].height)
