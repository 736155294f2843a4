"""slice_pdf: a page range as its own PDF."""

from __future__ import annotations

import pytest

from extraction.api import ReadLimits
from extraction.pages import read_pages
from extraction.split import slice_pdf
from models.errors import DocumentUnreadable
from tests.extraction.samples import text_pdf


def test_slice_keeps_exactly_the_range() -> None:
    part = slice_pdf(text_pdf(pages=5), 2, 4)
    pages = read_pages(part, "application/pdf", ReadLimits())
    assert [" ".join(w.text for w in p.words[-4:]) for p in pages] == ["Page 2 of 5", "Page 3 of 5", "Page 4 of 5"]


def test_a_single_page() -> None:
    pages = read_pages(slice_pdf(text_pdf(pages=3), 3, 3), "application/pdf", ReadLimits())
    assert len(pages) == 1 and pages[0].words[-4].text == "Page"


@pytest.mark.parametrize(("first", "last"), [(0, 1), (2, 1), (1, 4)])
def test_a_range_outside_the_document_is_refused(first: int, last: int) -> None:
    with pytest.raises(DocumentUnreadable) as err:
        slice_pdf(text_pdf(pages=3), first, last)
    assert err.value.code == "pdf_split_failed"


def test_garbage_is_refused_not_crashed() -> None:
    with pytest.raises(DocumentUnreadable):
        slice_pdf(b"%PDF-1.7\n this is not a pdf", 1, 1)
