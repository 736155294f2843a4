"""A Factur-X PDF: the invoice's own page with its CII XML embedded (PDF/A-3 attachment and XMP
metadata), made with the ``factur-x`` package.

The package stamps the PDF info and XMP with the current time; for byte-identical output the clock it
reads is pinned to the invoice's date while it runs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from typing import Any

import facturx.facturx as fx_module
from facturx import generate_from_binary

from synth.document import InvoiceDoc
from synth.render.cii import cii_xml


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    real = fx_module.datetime

    class _Frozen(real):  # type: ignore[misc, valid-type]
        @classmethod
        def now(cls, tz: Any = None) -> datetime:
            return moment if tz is None else moment.astimezone(tz)

    fx_module.datetime = _Frozen
    try:
        yield
    finally:
        fx_module.datetime = real


def facturx_pdf(doc: InvoiceDoc, page_pdf: bytes) -> bytes:
    xml = cii_xml(doc)
    assert doc.issue_date is not None
    moment = datetime.combine(doc.issue_date, time(9, 30), tzinfo=UTC)
    metadata = {"author": doc.vendor_name, "keywords": "Factur-X, Invoice",
                "title": f"{doc.vendor_name}: Invoice {doc.invoice_number}",
                "subject": f"Factur-X invoice {doc.invoice_number} dated {doc.issue_date.isoformat()}"}
    with _clock(moment):
        out = generate_from_binary(io.BytesIO(page_pdf).getvalue(), xml, flavor="factur-x", level="en16931",
                                   check_xsd=True, pdf_metadata=metadata, lang=_lang(doc))
    return bytes(out)


def _lang(doc: InvoiceDoc) -> str:
    return {"de": "de-DE", "fr": "fr-FR", "it": "it-IT", "es": "es-ES", "nl": "nl-NL"}.get(doc.vendor.language,
                                                                                          "en-GB")
