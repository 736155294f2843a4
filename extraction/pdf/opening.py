"""Opening a PDF safely: the checks every reader runs before it touches a page.

pdfium parses the file (C++, fuzzed continuously by Chromium, and robust to page-tree loops and broken
cross-reference tables); nothing in it executes JavaScript unless a form environment is set up for it,
which this project never does. The checks here turn each way a file can be unusable or hostile into a
refusal with a specific code, before any page is rendered.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from extraction.api import ReadLimits
from extraction.pdf.active_content import refuse_active_content
from extraction.pdf.serial import PDFIUM
from models.errors import DocumentUnreadable

_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
              AssertionError, OSError)


@contextmanager
def open_pdf(data: bytes, limits: ReadLimits) -> Iterator[pdfium.PdfDocument]:
    """The opened document, closed on exit; ``DocumentUnreadable``/``InputRefused`` when it must not be read.
    Opening and closing hold ``PDFIUM``; the caller holds it around each use of the document."""
    with PDFIUM:
        document = load_pdf(data)
    try:
        with PDFIUM:
            count = len(document)
        check_page_count(count, limits)
        refuse_active_content(data)
        yield document
    finally:
        with PDFIUM:
            document.close()


def load_pdf(data: bytes) -> pdfium.PdfDocument:
    if b"%PDF-" not in data[:1024]:
        raise DocumentUnreadable("The file does not start like a PDF (no %PDF- header).", code="pdf_corrupt")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentUnreadable(
                "The PDF is password-protected (encrypted) and cannot be read. Ask the sender for an "
                "unprotected copy, or remove the password and upload it again.", code="pdf_encrypted") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise DocumentUnreadable(
                "The PDF uses an unsupported security handler (DRM) and cannot be read. Ask the sender for an "
                "unprotected copy.", code="pdf_encrypted") from exc
        if _has_no_pages(data):
            raise DocumentUnreadable("The PDF has no pages.", code="pdf_no_pages") from exc
        raise DocumentUnreadable(
            "The PDF is damaged and cannot be read (its structure is broken or truncated). Ask the sender to "
            "export it again.", code="pdf_corrupt") from exc


def _has_no_pages(data: bytes) -> bool:
    """pdfium refuses a document without pages as a format error; pypdf tells the two apart."""
    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages) == 0
    except _MALFORMED:
        return False


def page_unreadable(number: int, exc: Exception) -> DocumentUnreadable:
    return DocumentUnreadable(f"Page {number} of the PDF is damaged and cannot be read ({exc}). Ask the sender "
                              "to export the document again.", code="pdf_corrupt")


def check_page_count(count: int, limits: ReadLimits) -> None:
    if count <= 0:
        raise DocumentUnreadable("The PDF has no pages.", code="pdf_no_pages")
    if count > limits.max_pages:
        raise DocumentUnreadable(
            f"The PDF has {count} pages; documents are limited to {limits.max_pages} pages. Split the batch "
            "and submit the parts separately.", code="too_many_pages")
