"""read_pages on text-layer PDFs: words, boxes in points from the top-left, page sizes."""

from __future__ import annotations

import itertools

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from extraction.api import ReadLimits
from extraction.pages import read_pages
from models.errors import InputRefused
from tests.extraction.samples import text_pdf

LIMITS = ReadLimits()


def _find(page, text):  # type: ignore[no-untyped-def]
    return next(w for w in page.words if w.text == text)


def test_text_layer_words_have_boxes_in_points_from_the_top_left() -> None:
    pages = read_pages(text_pdf(), "application/pdf", LIMITS)
    assert len(pages) == 1
    page = pages[0]
    assert page.source == "text_layer"
    assert (round(page.width), round(page.height)) == (round(A4[0]), round(A4[1]))
    word = _find(page, "INV-2024-0042")
    # drawString(72, height - 120, "Invoice number: INV-…"): baseline 120 pt below the top, 12 pt Helvetica.
    assert word.x0 == pytest.approx(72 + stringWidth("Invoice number: ", "Helvetica", 12), abs=0.5)
    assert word.x1 == pytest.approx(word.x0 + stringWidth("INV-2024-0042", "Helvetica", 12), abs=0.5)
    assert 105 < word.y0 < 120 < word.y1 < 125
    assert word.conf == 1.0
    texts = [w.text for w in page.words]
    assert texts[:3] == ["ACME", "Medical", "Supplies"]
    assert "107.10" in texts


def test_words_of_one_line_share_their_top_and_bottom() -> None:
    page = read_pages(text_pdf(), "application/pdf", LIMITS)[0]
    line = [w for w in page.words if 105 < w.y0 < 120]
    assert [w.text for w in line] == ["Invoice", "number:", "INV-2024-0042"]
    assert len({round(w.y0, 2) for w in line}) == 1
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(line))


def test_every_page_is_read_in_order() -> None:
    pages = read_pages(text_pdf(pages=3), "application/pdf", LIMITS)
    assert [p.number for p in pages] == [1, 2, 3]
    assert [" ".join(w.text for w in p.words[-4:]) for p in pages] == [f"Page {n} of 3" for n in (1, 2, 3)]


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_rotated_page_is_given_as_displayed(rotate: int) -> None:
    upright = _find(read_pages(text_pdf(), "application/pdf", LIMITS)[0], "INV-2024-0042")
    page = read_pages(text_pdf(rotate=rotate), "application/pdf", LIMITS)[0]
    word = _find(page, "INV-2024-0042")
    w, h = A4
    if rotate == 90:  # turned clockwise: the top edge becomes the right edge, text runs downwards
        assert (page.width, page.height) == pytest.approx((h, w))
        expected = (h - upright.y1, upright.x0, h - upright.y0, upright.x1)
    elif rotate == 180:
        assert (page.width, page.height) == pytest.approx((w, h))
        expected = (w - upright.x1, h - upright.y1, w - upright.x0, h - upright.y0)
    else:
        assert (page.width, page.height) == pytest.approx((h, w))
        expected = (upright.y0, w - upright.x1, upright.y1, w - upright.x0)
    assert (word.x0, word.y0, word.x1, word.y1) == pytest.approx(expected, abs=0.01)


def test_xml_has_no_pages() -> None:
    assert read_pages(b"<Invoice/>", "application/xml", LIMITS) == []


def test_an_unsupported_type_is_refused() -> None:
    with pytest.raises(InputRefused) as err:
        read_pages(b"PK\x03\x04", "application/zip", LIMITS)
    assert err.value.code == "unsupported_type"


def test_corpus_text_layer_matches_pdfplumber(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    """The pdfium reader gives the words (and boxes) pdfplumber gives, on real vendor PDFs."""
    import io

    import pdfplumber

    total = same = 0
    for path in sorted((corpus_dir / "invoice2data").glob("*.pdf")):
        data = path.read_bytes()
        ours = read_pages(data, "application/pdf", LIMITS)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for theirs, mine in zip(pdf.pages, ours, strict=True):
                by_text: dict[str, list[tuple[float, float, float]]] = {}
                for word in mine.words:
                    by_text.setdefault(word.text, []).append((word.x0, word.y0, word.y1))
                for w in theirs.extract_words():
                    total += 1
                    # pdfplumber's top is the font size above the baseline, pdfium's the font's ascent:
                    # the same word's boxes overlap vertically by most of their height.
                    same += any(abs(x - w["x0"]) < 1.5
                                and min(y1, w["bottom"]) - max(y0, w["top"]) > 0.6 * (w["bottom"] - w["top"])
                                for x, y0, y1 in by_text.get(w["text"], ()))
    assert total > 1000
    assert same / total >= 0.97


def test_a_scan_with_a_digital_stamp_is_read_by_ocr() -> None:
    """A page that is mostly image with a few characters of text (an inbox stamp) is a scan."""
    from tests.extraction.samples import scan_of, scanned_pdf_with_text, small_invoice_pdf

    pdf = scanned_pdf_with_text(scan_of(small_invoice_pdf(), dpi=200), [(300, 280, "RECEIVED 2024-03-14")])
    page = read_pages(pdf, "application/pdf", ReadLimits(ocr_languages="eng"))[0]
    assert page.source == "ocr"
    assert "INV-2024-0042" in [w.text for w in page.words]


def test_a_scan_with_the_scanners_ocr_layer_keeps_that_layer() -> None:
    from tests.extraction.samples import INVOICE_LINES, scan_of, scanned_pdf_with_text, small_invoice_pdf

    # The scanner's layer covers the whole page (pdfium drops text drawn twice in the same place).
    layer = [(30, 38 + 22 * i, line) for i, line in enumerate(INVOICE_LINES)]
    layer += [(30, 160 + 14 * i, f"Terms and conditions, paragraph {i}: payable within 30 days") for i in range(5)]
    pdf = scanned_pdf_with_text(scan_of(small_invoice_pdf(), dpi=200), layer, invisible=True)
    page = read_pages(pdf, "application/pdf", LIMITS)[0]
    assert page.source == "text_layer"
    assert "INV-2024-0042" in [w.text for w in page.words]
