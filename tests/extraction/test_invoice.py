"""``extract_invoice``: the e-invoice path, its cross-check against the page, and the layout path."""

from __future__ import annotations

import io
from pathlib import Path

import facturx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction.api import ReadLimits
from extraction.einvoice import read_einvoice
from extraction.invoice import REQUIRED_FIELDS, extract_from_pages, extract_invoice
from extraction.pages import read_pages
from models.text import PageText
from tests.extraction.words import page

PDF = "application/pdf"
HYBRID = "ferd_zugferd24/XRECHNUNG_Einfach_fx.pdf"  # total 529,87, IBAN DE02 1203 0000 0000 2020 51


def _printed_invoice(lines: list[str]) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 10)
    for i, text in enumerate(lines):
        c.drawString(60, A4[1] - 80 - 16 * i, text)
    c.showPage()
    c.save()
    return out.getvalue()


def _hybrid(corpus_dir: Path, printed: list[str]) -> bytes:
    einvoice = read_einvoice((corpus_dir / HYBRID).read_bytes(), PDF)
    assert einvoice is not None
    return bytes(facturx.generate_from_binary(_printed_invoice(printed), einvoice.xml, check_xsd=False))


_FAITHFUL = ["Lieferant GmbH, Lieferantenstraße 20, 80333 München", "RECHNUNG", "Rechnungsnummer 471102",
             "Rechnungsdatum 15.11.2024", "Rechnungssumme Netto 473,00", "USt. 56,87",
             "Rechnungssumme Brutto 529,87", "IBAN DE02 1203 0000 0000 2020 51", "USt.-IdNr. DE123456789"]


def test_the_embedded_xml_is_authoritative_and_a_faithful_page_raises_nothing(corpus_dir: Path) -> None:
    data = _hybrid(corpus_dir, _FAITHFUL)
    result = extract_invoice(data, PDF, read_pages(data, PDF, ReadLimits()))
    assert result.engine.startswith("einvoice-cii/1")
    assert result.invoice.get("total_amount") == "529.87"
    assert result.invoice.fields["total_amount"].source == "einvoice"
    assert result.invoice.warnings == []


def test_a_page_that_shows_another_total_and_iban_than_its_xml_is_flagged_with_the_numbers(
        corpus_dir: Path) -> None:
    tampered = [line.replace("529,87", "592,87").replace("DE02 1203 0000 0000 2020 51",
                                                                        "DE89 3704 0044 0532 0130 00")
                for line in _FAITHFUL]
    data = _hybrid(corpus_dir, tampered)
    result = extract_invoice(data, PDF, read_pages(data, PDF, ReadLimits()))
    flagged = {w["field"]: w["message"] for w in result.invoice.warnings if w["code"] == "EINVOICE_PDF_MISMATCH"}
    assert set(flagged) == {"total_amount", "vendor_iban"}
    assert "592.87" in flagged["total_amount"] and "529.87" in flagged["total_amount"]
    assert "DE89370400440532013000" in flagged["vendor_iban"]


def test_a_standalone_ubl_file_is_read_exactly(corpus_dir: Path) -> None:
    path = corpus_dir / "oca_edi" / "efff_BE0505890632_160421_Inv_16117778.xml"
    result = extract_invoice(path.read_bytes(), "application/xml", [])
    assert result.engine == "einvoice-ubl/1"
    assert result.invoice.get("invoice_number") == "16117778"
    assert result.invoice.confidence("total_amount") == 1.0


def test_a_digital_pdf_goes_through_the_layout_path_with_provenance(corpus_dir: Path) -> None:
    data = (corpus_dir / "invoice2data" / "coolblue1.pdf").read_bytes()
    result = extract_invoice(data, PDF, read_pages(data, PDF, ReadLimits()))
    inv = result.invoice
    assert result.engine.startswith("layout-")
    assert inv.get("invoice_number") == "993548900"
    assert inv.get("total_amount") == "717.97"
    number = inv.fields["invoice_number"]
    assert number.source == "layout" and number.page == 1 and number.bbox is not None
    assert 0.0 < number.confidence <= 1.0
    assert len(inv.lines) >= 5 and inv.lines[0].get("amount") == "399.00"


def test_missing_required_fields_are_present_and_empty() -> None:
    inv, _ = extract_from_pages([page((60, 80, "Thank you for your business"))])
    for name in REQUIRED_FIELDS:
        assert name in inv.fields
    assert inv.get("invoice_number") is None and inv.confidence("invoice_number") == 0.0


def test_a_document_without_text_says_so() -> None:
    result = extract_invoice(b"%PDF-1.4", PDF, [PageText(number=1, width=595, height=842, words=[])])
    assert [w["code"] for w in result.invoice.warnings] == ["NO_TEXT"]
    assert result.invoice.get("total_amount") is None


def test_ocr_pages_mark_their_fields_as_ocr() -> None:
    inv, _ = extract_from_pages([page((60, 80, "Invoice number: A-1"), (60, 100, "Total EUR 12,00"),
                                      source="ocr")])
    assert inv.fields["invoice_number"].source == "ocr"


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown extraction mode"):
        extract_from_pages([page((60, 80, "x"))], mode="magic")


def test_the_senders_mail_domain_points_at_the_vendor() -> None:
    words = page((60, 60, "Rheinwald Kliniken GmbH"), (60, 75, "Zelarvia Facility Management e.K."),
                 (60, 300, "Invoice number: 17"), (60, 320, "Total 12.00"))
    plain, _ = extract_from_pages([words])
    mailed, _ = extract_from_pages([words], sender="billing@zelarvia.de")
    assert plain.get("vendor_name") == "Rheinwald Kliniken GmbH"
    assert mailed.get("vendor_name") == "Zelarvia Facility Management e.K."


def test_a_negative_invoice_is_a_credit_note() -> None:
    inv, _ = extract_from_pages([page((60, 60, "RECHNUNG"), (60, 90, "Rechnungsnummer: RK-1"),
                                      (60, 120, "Gesamtbetrag EUR -8,79"))])
    assert inv.get("total_amount") == "-8.79" and inv.document_type == "credit_note"
