"""The e-invoices are valid EN 16931 documents that say what the page says (except where a scenario
makes the Factur-X XML disagree), and the product's own reader gets the truth back from them."""

from __future__ import annotations

import json
from pathlib import Path

from facturx import get_facturx_xml_from_pdf, xml_check_xsd
from lxml import etree

from extraction.einvoice.reader import read_einvoice
from synth import GeneratedWorld
from synth.render.cii import cii_xml

KEYS = ("invoice_number", "invoice_date", "due_date", "currency", "net_amount", "tax_amount", "total_amount",
        "vendor_vat", "vendor_iban", "vendor_name", "buyer_name")


def test_cii_validates_against_the_factur_x_schema(small_world: GeneratedWorld) -> None:
    for inv in small_world.invoices:
        if inv.doc.invoice_number and inv.doc.issue_date:
            xml_check_xsd(etree.fromstring(cii_xml(inv.doc)), flavor="factur-x", level="en16931")


def _readback(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    found = read_einvoice(data, "application/xml" if path.suffix == ".xml" else "application/pdf")
    assert found is not None, path
    invoice = found.invoice
    out: dict[str, object] = {k: invoice.get(k) for k in KEYS}
    out["po_number"] = invoice.po_numbers[0] if invoice.po_numbers else None
    out["lines"] = len(invoice.lines)
    return out


def test_every_e_invoice_reads_back_as_its_truth(written_world: Path) -> None:
    checked = set()
    for truth_path in sorted((written_world / "truth").glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for rendering in ("facturx", "ubl"):
            entry = truth["_meta"]["documents"].get(rendering)
            if not entry:
                continue
            got = _readback(written_world / entry["path"])
            differs = truth["_meta"].get("einvoice_differs", {})
            for key in (*KEYS, "po_number"):
                if key in differs:
                    assert got[key] == differs[key]
                    assert got[key] != truth[key]
                elif not (rendering == "ubl" and key == "due_date" and truth["_meta"]["document_type"] != "invoice"):
                    assert (got[key] or None) == truth[key], (truth_path.name, rendering, key)
            assert got["lines"] == len(truth["lines"])
            checked.add(rendering)
    assert checked == {"facturx", "ubl"}


def test_the_factur_x_pdf_carries_its_xml_and_pdfa_metadata(written_world: Path) -> None:
    path = next((written_world / "documents").glob("*-facturx.pdf"))
    name, xml = get_facturx_xml_from_pdf(path.read_bytes(), check_xsd=True)
    assert name == "factur-x.xml" and b"CrossIndustryInvoice" in xml
    data = path.read_bytes()
    assert b"pdfaid:part" in data or b"/Metadata" in data
