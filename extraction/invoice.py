"""``extract_invoice``: one document's pages (and e-invoice XML) to an ``InvoiceData`` with provenance.

Three paths, named in ``ExtractedDocument.engine``:
- ``einvoice-cii/1`` / ``einvoice-ubl/1``: the document carries e-invoice XML, which is authoritative.
  For a hybrid PDF the page is read too and its key fields compared with the XML's; a value the XML
  holds but the page contradicts becomes an ``EINVOICE_PDF_MISMATCH`` warning (matching holds on it).
- ``layout-rules/1``: words and boxes through the label lexicon, positional association, consistency
  rules and line-item table detection; ``layout-ensemble/1`` when the learned models are loaded and
  take the fields where they measurably beat the rules.
- A document without readable text still returns an invoice, empty, with a ``NO_TEXT`` warning, so
  the queue shows why nothing was found.
Required fields that were not found are present with ``value: null`` so the gap is visible downstream.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from extraction.api import ExtractedDocument
from extraction.classify import classify, segment
from extraction.confidence import Calibrator
from extraction.einvoice import EInvoice, read_einvoice
from extraction.fields.context import DocContext
from extraction.fields.crosscheck import PrintedValues, einvoice_mismatches, unprinted
from extraction.fields.header import FieldSet, extract_header
from extraction.fields.language import detect_language
from extraction.fields.layout import build_layout
from extraction.fields.select import Chosen
from extraction.lines import extract_lines
from models.invoice import DocumentType, FieldValue, InvoiceData, LineItem, Source
from models.text import PageText

REQUIRED_FIELDS = ("vendor_name", "invoice_number", "invoice_date", "currency", "total_amount")
ENGINE_RULES = "layout-rules/1"
ENGINE_ENSEMBLE = "layout-ensemble/1"
MODES = ("rules", "learned", "ensemble")
_EINVOICE_TYPES = {"380": DocumentType.INVOICE, "381": DocumentType.CREDIT_NOTE}


def extract_invoice(data: bytes, media_type: str, pages: list[PageText], *,
                    envelope: dict[str, Any] | None = None) -> ExtractedDocument:
    einvoice = read_einvoice(data, media_type)
    if einvoice is not None:
        return _from_einvoice(einvoice, pages)
    if not any(p.words for p in pages):
        return ExtractedDocument(_empty(pages), ENGINE_RULES)
    segments = segment(pages) if len(pages) > 1 else []
    invoice, engine = extract_from_pages(pages, mode="ensemble", sender=_sender(envelope))
    return ExtractedDocument(invoice, engine, segments if len(segments) > 1 else [])


def extract_from_pages(pages: list[PageText], *, mode: str = "ensemble",
                       sender: str | None = None) -> tuple[InvoiceData, str]:
    """The layout path alone: ``rules``, ``learned`` or their ``ensemble`` (what ``payables eval`` compares)."""
    if mode not in MODES:
        raise ValueError(f"unknown extraction mode {mode!r}; expected one of {', '.join(MODES)}")
    if not any(p.words for p in pages):
        return _empty(pages), ENGINE_RULES
    fieldset, lines = read_layout(pages, sender=sender)
    layout = fieldset.ctx.layout
    engine = ENGINE_RULES
    if mode != "rules":
        from extraction.learned.ensemble import apply_learned

        engine = apply_learned(fieldset, pages, mode) or engine
    invoice = _to_invoice(fieldset, pages, _calibrator())
    invoice.lines = lines
    kind = classify(layout)
    document_type, type_confidence = kind.document_type, kind.confidence
    total = invoice.decimal("total_amount")
    if document_type == DocumentType.INVOICE.value and total is not None and total < 0:
        # A negative "invoice" credits the buyer, whatever its title says.
        document_type, type_confidence = DocumentType.CREDIT_NOTE.value, min(type_confidence, 0.7)
    invoice.fields["document_type"] = FieldValue(document_type, type_confidence, _source(pages), None, None)
    return invoice, engine


def read_layout(pages: list[PageText], *, sender: str | None = None) -> tuple[FieldSet, list[LineItem]]:
    """The rules' reading of the pages: header fields (before calibration) and line items."""
    ctx = DocContext(build_layout(pages), sender=sender)
    lines = extract_lines(ctx)
    return extract_header(ctx, _line_sum(lines)), lines


@lru_cache(maxsize=1)
def _calibrator() -> Calibrator:
    return Calibrator.load()


def _sender(envelope: dict[str, Any] | None) -> str | None:
    """The e-mail sender an envelope records (``from``, at its top or in a nested mapping such as the mail
    header summary intake keeps), if any."""
    if not envelope:
        return None
    for place in (envelope, *(v for v in envelope.values() if isinstance(v, dict))):
        value = place.get("from")
        if isinstance(value, str) and "@" in value:
            return value
    return None


def _to_invoice(fieldset: FieldSet, pages: list[PageText], calibrator: Calibrator) -> InvoiceData:
    sources = {p.number: p.source for p in pages}
    fields: dict[str, FieldValue] = {}
    for fname, chosen in fieldset.fields.items():
        fields[fname] = FieldValue(chosen.value, calibrator.confidence(fname, chosen, ocr=read_by_ocr(chosen, pages)),
                                   _provenance(chosen, sources), chosen.page, chosen.bbox, chosen.raw)
    for fname in REQUIRED_FIELDS:
        fields.setdefault(fname, FieldValue(None, 0.0, _source(pages)))
    return InvoiceData(fields=fields, po_numbers=fieldset.po_numbers(), tax_breakdown=fieldset.tax_breakdown,
                       language=fieldset.ctx.language, page_count=len(pages))


def read_by_ocr(chosen: Chosen, pages: list[PageText]) -> bool:
    """Whether the words behind a reading came from OCR (its page's, or every page's when it has none)."""
    if chosen.page is not None:
        return any(p.number == chosen.page and p.source == "ocr" for p in pages)
    return bool(pages) and all(p.source == "ocr" for p in pages)


def _provenance(chosen: Chosen, sources: dict[int, str]) -> str:
    if chosen.origin == "computed":
        return Source.COMPUTED.value
    if chosen.origin == "learned":
        return Source.LEARNED.value
    if chosen.page is not None and sources.get(chosen.page) == "ocr":
        return Source.OCR.value
    return Source.LAYOUT.value


def _source(pages: list[PageText]) -> str:
    return Source.OCR.value if pages and all(p.source == "ocr" for p in pages) else Source.LAYOUT.value


def _line_sum(lines: list[LineItem]) -> Decimal | None:
    amounts = [line.decimal("amount") for line in lines]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal(0))


def _empty(pages: list[PageText]) -> InvoiceData:
    source = _source(pages)
    return InvoiceData(
        fields={f: FieldValue(None, 0.0, source) for f in REQUIRED_FIELDS},
        page_count=len(pages),
        warnings=[{"code": "NO_TEXT", "message": "No text could be read on any page (blank, or OCR found no "
                                                 "words); every field has to be entered by hand."}],
    )


# What the page may add to an e-invoice that leaves it out: identifiers a clerk checks against the page.
_PAGE_FILLS = ("vendor_iban", "vendor_vat", "vendor_bic", "po_number", "due_date")
_PAGE_FILL_MIN = 0.5


def _fill_from_page(invoice: InvoiceData, page: FieldSet, pages: list[PageText]) -> None:
    """Fields the XML does not hold but the page prints, marked as read from the page (not the XML)."""
    sources = {p.number: p.source for p in pages}
    calibrator = _calibrator()
    for fname in _PAGE_FILLS:
        chosen = page.fields.get(fname)
        if invoice.get(fname) is None and chosen is not None and chosen.score >= _PAGE_FILL_MIN:
            invoice.fields[fname] = FieldValue(chosen.value,
                                               calibrator.confidence(fname, chosen, ocr=read_by_ocr(chosen, pages)),
                                               _provenance(chosen, sources), chosen.page, chosen.bbox, chosen.raw)
            if fname == "po_number" and not invoice.po_numbers:
                invoice.po_numbers = [chosen.value]


def _from_einvoice(einvoice: EInvoice, pages: list[PageText]) -> ExtractedDocument:
    invoice = einvoice.invoice
    invoice.page_count = len(pages)
    if "document_type" not in invoice.fields and einvoice.type_code in _EINVOICE_TYPES:
        invoice.fields["document_type"] = FieldValue(_EINVOICE_TYPES[einvoice.type_code].value, 1.0,
                                                     Source.EINVOICE.value)
    engine = f"einvoice-{einvoice.syntax.lower()}/1"
    if any(p.words for p in pages):
        layout = build_layout(pages)
        printed = PrintedValues(layout)
        # The page is read only for what the XML leaves out or its picture does not visibly print:
        # most hybrids print every key value, and reading all their fields again would double the cost.
        needed = frozenset(unprinted(invoice, printed)) | {f for f in _PAGE_FILLS if invoice.get(f) is None}
        page_reading = extract_header(DocContext(layout), None, only=needed) if needed else None
        if invoice.language is None:
            invoice.language = page_reading.ctx.language if page_reading else detect_language(
                line.text for line in layout.lines())
        calibrator = _calibrator()
        invoice.warnings.extend(einvoice_mismatches(
            invoice, printed, page_reading, lambda f, c: calibrator.confidence(f, c, ocr=read_by_ocr(c, pages))))
        if page_reading is not None:
            _fill_from_page(invoice, page_reading, pages)
        engine += "+layout-check"
    return ExtractedDocument(invoice, engine)
