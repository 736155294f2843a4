"""``read_pages``: words with boxes for every page of a document, from its text layer or by OCR.

Boxes are in PDF points from the page's top-left as displayed; for images, pixels × 72 / dpi.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium

from extraction.api import ReadLimits
from extraction.images import read_image_pages
from extraction.ocr.batch import default_workers, run_bounded
from extraction.ocr.engine import OcrSettings, ocr_page
from extraction.pdf.geometry import PageFrame
from extraction.pdf.opening import open_pdf, page_unreadable
from extraction.pdf.page_kind import needs_ocr
from extraction.pdf.raster import fitting_dpi, render_grey
from extraction.pdf.serial import PDFIUM
from extraction.pdf.text_layer import read_text_layer
from models.errors import InputRefused
from models.text import PageText

PDF = "application/pdf"
XML = "application/xml"
IMAGES = frozenset({"image/png", "image/jpeg", "image/tiff"})


@dataclass
class _Scan:
    """A page to OCR: its pixels, or the text page it already is."""

    number: int
    grey: np.ndarray | None = None
    dpi: float = 0.0
    done: PageText | None = None


def read_pages(data: bytes, media_type: str, limits: ReadLimits, *, workers: int | None = None) -> list[PageText]:
    """Every page's words. XML has no pages (the e-invoice reader handles it): an empty list."""
    if media_type == XML:
        return []
    settings = OcrSettings(languages=limits.ocr_languages, timeout=limits.ocr_page_timeout_s,
                           max_pixels=limits.max_pixels)
    if media_type == PDF:
        with open_pdf(data, limits) as document:
            return _read(_pdf_pages(document, limits), settings, workers)
    if media_type in IMAGES:
        scans = (_Scan(p.number, p.grey, p.dpi) for p in read_image_pages(data, limits))
        return _read(scans, settings, workers)
    raise InputRefused(f"Pages cannot be read from a file of type {media_type!r}.", code="unsupported_type")


def _read(scans: Iterator[_Scan], settings: OcrSettings, workers: int | None) -> list[PageText]:
    def work(scan: _Scan) -> PageText:
        if scan.done is not None:
            return scan.done
        assert scan.grey is not None
        return ocr_page(scan.grey, scan.dpi, settings).page(scan.number)

    return list(run_bounded(scans, work, workers=workers or default_workers(),
                            inline=lambda scan: scan.done is not None))


def _pdf_pages(document: pdfium.PdfDocument, limits: ReadLimits) -> Iterator[_Scan]:
    # The lock is held while pdfium reads or renders a page and let go before the page is yielded: a
    # generator suspended while holding it would stall every other thread's PDF until OCR finished.
    with PDFIUM:
        count = len(document)
    for index in range(count):
        with PDFIUM:
            scan = _pdf_page(document, index + 1, limits)
        yield scan


def _pdf_page(document: pdfium.PdfDocument, number: int, limits: ReadLimits) -> _Scan:
    try:
        page = document[number - 1]
    except pdfium.PdfiumError as exc:
        raise page_unreadable(number, exc) from exc
    try:
        frame = PageFrame.of(page)
        layer = read_text_layer(page, frame)
        if needs_ocr(page, frame, layer):
            dpi = fitting_dpi(frame, limits.ocr_dpi, limits.max_pixels)
            return _Scan(number, render_grey(page, dpi), dpi)
        return _Scan(number, done=PageText(number=number, width=frame.width, height=frame.height,
                                           words=layer.words, source="text_layer"))
    except pdfium.PdfiumError as exc:
        raise page_unreadable(number, exc) from exc
    finally:
        page.close()
