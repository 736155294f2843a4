"""The two calls the pipeline makes, and the types they exchange.

``read_pages`` turns the original bytes into words with boxes for every page (text layer, or OCR where a
page has none); ``extract_invoice`` turns those pages (and, for e-invoices, the XML) into an
``InvoiceData`` with confidence and provenance, and says where a scanner batch splits into invoices.
Both raise ``InputRefused`` / ``DocumentUnreadable`` with a clear reason for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.invoice import InvoiceData


@dataclass(frozen=True)
class ReadLimits:
    max_pages: int = 200
    max_pixels: int = 120_000_000
    ocr_page_timeout_s: float = 60.0
    ocr_languages: str = "eng+deu+fra+spa+ita+nld"
    ocr_dpi: int = 300


@dataclass
class Segment:
    """One invoice inside a document: pages ``page_from``..``page_to`` (1-based, inclusive)."""

    page_from: int
    page_to: int
    document_type: str = "invoice"


@dataclass
class ExtractedDocument:
    invoice: InvoiceData
    engine: str
    # More than one segment: a batch to split into child documents, each extracted on its own.
    segments: list[Segment] = field(default_factory=list)
