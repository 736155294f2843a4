"""Fuzzing the parsers of untrusted bytes: whatever the mutation, the only exceptions are our own.

A crash, a hang or any other exception type would reach a worker as an unexplained failure; the
project's errors become a stored refusal with a reason.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.api import ReadLimits
from extraction.einvoice import read_einvoice
from extraction.pages import read_pages
from extraction.pdf.active_content import find_active_content
from extraction.split import slice_pdf
from models.errors import PayablesError
from tests.extraction import hostile
from tests.extraction.einvoice_samples import CII, UBL_CREDIT_NOTE
from tests.extraction.samples import scan_of, small_invoice_pdf

LIMITS = ReadLimits(max_pages=5, ocr_languages="eng", ocr_page_timeout_s=20, ocr_dpi=150)
SEEDS = {
    "text": small_invoice_pdf(),
    "hybrid": hostile.pdf_with_attachment("factur-x.xml", CII),
}
PNG = scan_of(small_invoice_pdf(), dpi=60)

edits = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=0, max_size=8),
                           st.integers(0, 8)), min_size=1, max_size=6)


def _mutate(data: bytes, changes: list[tuple[float, bytes, int]]) -> bytes:
    """Each change replaces ``cut`` bytes at a relative position with ``insert``: flips, deletions, insertions."""
    out = bytearray(data)
    for where, insert, cut in changes:
        at = int(where * len(out))
        out[at:at + cut] = insert
    return bytes(out)


def _only_our_errors(call, *args) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(PayablesError):
        call(*args)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(sorted(SEEDS)), changes=edits, truncate=st.floats(0.05, 1.0))
def test_mutated_pdfs(seed: str, changes: list[tuple[float, bytes, int]], truncate: float) -> None:
    data = _mutate(SEEDS[seed], changes)
    data = data[:max(16, int(len(data) * truncate))] if truncate < 0.9 else data
    _only_our_errors(read_pages, data, "application/pdf", LIMITS)
    _only_our_errors(read_einvoice, data, "application/pdf")
    _only_our_errors(slice_pdf, data, 1, 1)
    find_active_content(data)


@settings(max_examples=150, deadline=None)
@given(seed=st.sampled_from([CII, UBL_CREDIT_NOTE]), changes=edits)
def test_mutated_xml(seed: bytes, changes: list[tuple[float, bytes, int]]) -> None:
    _only_our_errors(read_einvoice, _mutate(seed, changes), "application/xml")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_as_xml(data: bytes) -> None:
    _only_our_errors(read_einvoice, data, "application/xml")


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(changes=edits)
def test_mutated_images(changes: list[tuple[float, bytes, int]]) -> None:
    _only_our_errors(read_pages, _mutate(PNG, changes), "image/png", LIMITS)
