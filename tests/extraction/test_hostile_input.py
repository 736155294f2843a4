"""Hostile and broken files end as a clear refusal (our error types, a specific code) within seconds.

Every sample is built here by the test. The time limits are safety bounds against a hang, not speed
targets (those live in ``bench/``).
"""

from __future__ import annotations

import contextlib

import pytest

from extraction.api import ReadLimits
from extraction.einvoice import read_einvoice
from extraction.pages import read_pages
from extraction.pdf.active_content import find_active_content
from extraction.split import slice_pdf
from models.errors import DocumentUnreadable, InputRefused, PayablesError
from tests.extraction import hostile
from tests.extraction.samples import small_invoice_pdf

LIMITS = ReadLimits(ocr_languages="eng")
PDF, PNG, TIFF, XML = "application/pdf", "image/png", "image/tiff", "application/xml"


def _refusal(data: bytes, media_type: str, limits: ReadLimits = LIMITS) -> PayablesError:
    with pytest.raises(PayablesError) as err:
        read_pages(data, media_type, limits)
    assert isinstance(err.value, InputRefused | DocumentUnreadable)
    assert err.value.message and err.value.code not in ("error", "refused", "unreadable")
    return err.value


@pytest.mark.timeout(10)
def test_an_encrypted_pdf_is_refused_with_what_to_do() -> None:
    err = _refusal(hostile.encrypted_pdf(), PDF)
    assert err.code == "pdf_encrypted"
    assert "password" in err.message


def test_a_pdf_locked_only_against_editing_is_read() -> None:
    pages = read_pages(hostile.owner_locked_pdf(), PDF, LIMITS)
    assert "INV-2024-0042" in [w.text for w in pages[0].words]


@pytest.mark.timeout(10)
def test_a_corrupt_pdf_is_refused() -> None:
    assert _refusal(hostile.corrupt_pdf(), PDF).code == "pdf_corrupt"


@pytest.mark.timeout(10)
def test_a_truncated_pdf_is_read_or_refused_never_crashes() -> None:
    data = small_invoice_pdf()
    for cut in (len(data) // 4, len(data) // 2, len(data) - 40):
        with contextlib.suppress(InputRefused, DocumentUnreadable):
            read_pages(data[:cut], PDF, LIMITS)


@pytest.mark.timeout(10)
def test_a_pdf_without_pages_is_refused() -> None:
    assert _refusal(hostile.zero_page_pdf(), PDF).code == "pdf_no_pages"


@pytest.mark.timeout(10)
def test_a_500_page_batch_is_refused_before_any_page_is_read() -> None:
    err = _refusal(hostile.many_page_pdf(500), PDF)
    assert err.code == "too_many_pages"
    assert "500" in err.message and "200" in err.message


@pytest.mark.timeout(10)
def test_a_page_tree_loop_does_not_hang_any_reader() -> None:
    data = hostile.page_tree_loop_pdf()
    try:
        pages = read_pages(data, PDF, LIMITS)
        assert len(pages) <= 2
    except (InputRefused, DocumentUnreadable):
        pass
    assert read_einvoice(data, PDF) is None
    with pytest.raises(DocumentUnreadable):
        slice_pdf(data, 1, 3)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("make", "code"), [(hostile.javascript_pdf, "pdf_javascript"),
                                             (hostile.obfuscated_javascript_pdf, "pdf_javascript"),
                                             (hostile.launch_action_pdf, "pdf_launch_action")])
def test_a_pdf_with_active_content_is_refused(make, code: str) -> None:  # type: ignore[no-untyped-def]
    err = _refusal(make(), PDF)
    assert isinstance(err, InputRefused)
    assert err.code == code


def test_ordinary_pdfs_carry_no_active_content(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    paths = sorted(corpus_dir.glob("*/*.pdf"))
    assert len(paths) > 50
    assert [p.name for p in paths if find_active_content(p.read_bytes())] == []


@pytest.mark.timeout(10)
def test_a_page_too_large_to_render_is_refused() -> None:
    from tests.extraction.samples import image_pdf, scan_of

    # One scanned page, but 120 × 120 inches: at any legible resolution it exceeds the pixel limit.
    pdf = image_pdf(scan_of(small_invoice_pdf(), dpi=100), dpi=1.0)
    assert _refusal(pdf, PDF, ReadLimits(max_pixels=50_000_000)).code == "page_too_large"


@pytest.mark.timeout(10)
def test_a_20000_by_20000_png_is_refused_from_its_header() -> None:
    err = _refusal(hostile.png_header_only(20_000, 20_000), PNG)
    assert err.code == "image_too_large"
    assert "400 megapixels" in err.message


@pytest.mark.timeout(10)
def test_a_png_decompression_bomb_is_refused() -> None:
    assert _refusal(hostile.png_bomb(), PNG).code == "image_too_large"


@pytest.mark.timeout(10)
def test_an_image_within_pillows_warning_band_but_over_our_limit_is_refused() -> None:
    assert _refusal(hostile.png_header_only(10_000, 10_000), PNG, ReadLimits(max_pixels=50_000_000)).code \
        == "image_too_large"


@pytest.mark.timeout(20)
def test_a_tiff_with_1000_pages_is_refused_by_the_page_limit() -> None:
    assert _refusal(hostile.many_page_tiff(1000), TIFF).code == "too_many_pages"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b"\xff\xd8\xff\xe0" + b"\x00" * 50,
                                  b"II*\x00" + b"\xff" * 50])
def test_a_damaged_image_is_refused(data: bytes) -> None:
    media_type = {b"\x89": PNG, b"\xff": "image/jpeg", b"II": TIFF}[data[:1] if data[:1] != b"I" else b"II"]
    assert _refusal(data, media_type).code == "image_corrupt"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("xml", [hostile.BILLION_LAUGHS, hostile.XXE])
def test_xml_entity_attacks_are_refused(xml: bytes) -> None:
    with pytest.raises(InputRefused) as err:
        read_einvoice(xml, XML)
    assert err.value.code == "xml_entities"


@pytest.mark.timeout(10)
def test_a_utf16_doctype_cannot_slip_past() -> None:
    with pytest.raises(InputRefused) as err:
        read_einvoice(hostile.XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                      .encode("utf-16"), XML)
    assert err.value.code == "xml_entities"


@pytest.mark.timeout(10)
def test_an_entity_bomb_embedded_in_a_pdf_is_refused() -> None:
    with pytest.raises(InputRefused) as err:
        read_einvoice(hostile.pdf_with_attachment("factur-x.xml", hostile.BILLION_LAUGHS), PDF)
    assert err.value.code == "xml_entities"


def test_xml_that_is_not_an_invoice_is_refused() -> None:
    with pytest.raises(InputRefused) as err:
        read_einvoice(b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
                      XML)
    assert err.value.code == "xml_not_invoice"
    assert "<Order>" in err.value.message


def test_malformed_xml_is_refused() -> None:
    with pytest.raises(InputRefused) as err:
        read_einvoice(b"<Invoice><ID>1</Invoice>", XML)
    assert err.value.code == "xml_malformed"
