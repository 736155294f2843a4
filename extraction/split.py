"""Cutting a page range out of a PDF (a scanner batch into its invoices); the original is never changed."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from models.errors import DocumentUnreadable

_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
              AssertionError, OSError)


def slice_pdf(data: bytes, page_from: int, page_to: int) -> bytes:
    """Pages ``page_from``..``page_to`` (1-based, inclusive) as a new PDF."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        count = len(reader.pages)
        if not 1 <= page_from <= page_to <= count:
            raise ValueError(f"pages {page_from}-{page_to} are not within 1-{count}")
        writer = PdfWriter()
        for index in range(page_from - 1, page_to):
            writer.add_page(reader.pages[index])
        out = io.BytesIO()
        writer.write(out)
    except _MALFORMED as exc:
        raise DocumentUnreadable(f"Pages {page_from}-{page_to} could not be cut out of the PDF: {exc}.",
                                 code="pdf_split_failed") from exc
    return out.getvalue()
