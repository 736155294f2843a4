"""read_einvoice: every field mapped, from standalone XML and from PDFs carrying it."""

from __future__ import annotations

import pytest

from extraction.einvoice import read_einvoice
from tests.extraction import hostile
from tests.extraction.einvoice_samples import CII, UBL_CREDIT_NOTE, ZUGFERD_1
from tests.extraction.samples import small_invoice_pdf

XML, PDF = "application/xml", "application/pdf"


def _values(found) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {name: field.value for name, field in found.invoice.fields.items()}


def test_a_cii_invoice_maps_every_business_term() -> None:
    found = read_einvoice(CII, XML)
    assert found is not None
    assert (found.syntax, found.profile, found.type_code, found.origin) == ("CII", "urn:cen.eu:en16931:2017", "380",
                                                                             "xml")
    assert _values(found) == {
        "invoice_number": "FX-2024-117", "invoice_date": "2024-03-05", "document_type": "invoice",
        "vendor_name": "ACME Medical Supplies GmbH", "vendor_vat": "DE123456789",
        "vendor_address": "Lindwurmstr. 5, 80333 München, DE", "buyer_name": "Clinic Group North",
        "buyer_vat": "DE987654321", "delivery_note": "DN-881", "currency": "EUR",
        "vendor_iban": "DE89370400440532013000", "vendor_bic": "COBADEFFXXX", "due_date": "2024-04-04",
        "payment_terms": "30 days net", "net_amount": "90.00",
        "tax_amount": "17.10",  # the EUR total, not the USD one beside it (BT-111)
        "total_amount": "107.10", "po_number": "PO-4711"}
    assert all(f.confidence == 1.0 and f.source == "einvoice" for f in found.invoice.fields.values())
    assert found.invoice.po_numbers == ["PO-4711"]
    assert found.invoice.tax_breakdown == [{"category": "S", "rate": "19", "base": "90.00", "tax": "17.10"}]
    (line,) = found.invoice.lines
    assert {k: f.value for k, f in line.fields.items()} == {
        "description": "Nitrile gloves size M", "product_code": "GLV-M-100", "quantity": "20", "unit": "BX",
        "unit_price": "4.50", "amount": "90.00", "tax_rate": "19", "line_id": "1"}
    assert found.xml == CII


def test_zugferd_1_is_read_with_the_same_mapping() -> None:
    found = read_einvoice(ZUGFERD_1, XML)
    assert found is not None and found.syntax == "CII"
    assert found.profile == "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"
    values = _values(found)
    assert (values["invoice_number"], values["invoice_date"], values["po_number"]) == ("RE-1001", "2013-03-05", "B-77")
    assert (values["net_amount"], values["tax_amount"], values["total_amount"]) == ("198.00", "37.62", "235.62")
    assert {k: f.value for k, f in found.invoice.lines[0].fields.items()} == {
        "description": "Trennblätter A4", "product_code": "TB100A4", "quantity": "20", "unit": "C62",
        "unit_price": "9.90", "amount": "198.00", "tax_rate": "19"}


def test_a_ubl_credit_note() -> None:
    found = read_einvoice(UBL_CREDIT_NOTE, XML)
    assert found is not None and (found.syntax, found.type_code) == ("UBL", "381")
    values = _values(found)
    assert values["document_type"] == "credit_note"
    assert values["credit_note_ref"] == "FX-2024-117"
    # The legal name, which the VAT id belongs to, over the trading name.
    assert values["vendor_name"] == "ACME Medical Supplies GmbH"
    assert (values["due_date"], values["vendor_iban"], values["vendor_bic"]) == ("2024-05-02",
                                                                                 "DE89370400440532013000",
                                                                                 "COBADEFFXXX")
    assert (values["net_amount"], values["tax_amount"], values["total_amount"]) == ("18.00", "3.42", "21.42")
    assert values["vendor_address"] == "Lindwurmstr. 5, 80333 München, DE"
    line = {k: f.value for k, f in found.invoice.lines[0].fields.items()}
    assert (line["quantity"], line["unit_price"], line["amount"], line["product_code"]) == ("4", "4.50", "18.00",
                                                                                          "GLV-M-100")


def test_the_xml_embedded_in_a_factur_x_pdf() -> None:
    facturx = pytest.importorskip("facturx")
    pdf = facturx.generate_from_binary(small_invoice_pdf(), CII, flavor="factur-x", level="en16931",
                                       check_xsd=False)
    found = read_einvoice(pdf, PDF)
    assert found is not None
    assert found.origin == "factur-x.xml"
    assert found.invoice.get("total_amount") == "107.10"


def test_an_attachment_under_another_name_is_found_by_its_root() -> None:
    found = read_einvoice(hostile.pdf_with_attachment("invoice-data.xml", UBL_CREDIT_NOTE), PDF)
    assert found is not None and found.invoice.get("invoice_number") == "CN-55"


def test_a_pdf_without_xml_or_with_unrelated_xml_has_no_einvoice() -> None:
    assert read_einvoice(small_invoice_pdf(), PDF) is None
    assert read_einvoice(hostile.pdf_with_attachment("metadata.xml", b"<?xml version='1.0'?><meta/>"), PDF) is None


def test_images_carry_no_einvoice() -> None:
    assert read_einvoice(b"\x89PNG\r\n\x1a\n", "image/png") is None



def test_the_xml_of_a_hybrid_locked_only_against_editing() -> None:
    """ERP exports often carry an owner password (AES-256) with an empty user password."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(hostile.pdf_with_attachment("factur-x.xml", CII))))
    writer.encrypt(user_password="", owner_password="erp", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    found = read_einvoice(out.getvalue(), PDF)
    assert found is not None and found.invoice.get("invoice_number") == "FX-2024-117"
