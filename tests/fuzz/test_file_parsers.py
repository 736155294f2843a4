"""Hostile and broken files through every file parser the outside world reaches: nothing but the
project's own errors may come out (see ``targets.py`` for what each target checks)."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz import seeds
from tests.fuzz.budget import budget
from tests.fuzz.strategies import files
from tests.fuzz.targets import (
    einvoice_pdf,
    einvoice_xml,
    image_pages,
    mime,
    pdf_pages,
    sniff_and_unpack,
    zip_container,
)


@budget(120)
@given(files(seeds.pdfs()))
def test_pdf_text_and_ocr_reading_ends_in_our_errors_only(data: bytes) -> None:
    pdf_pages(data)


@budget(250)
@given(files(seeds.images()))
def test_image_decoding_ends_in_our_errors_only(data: bytes) -> None:
    image_pages(data)


@budget(300)
@given(files(seeds.xmls()))
def test_einvoice_xml_reading_ends_in_our_errors_only(data: bytes) -> None:
    einvoice_xml(data)


@budget(120)
@given(files(seeds.pdfs()))
def test_embedded_einvoice_search_in_pdfs_ends_in_our_errors_only(data: bytes) -> None:
    einvoice_pdf(data)


@budget(300)
@given(files(seeds.emails()))
def test_mime_unpacking_ends_in_our_errors_only(data: bytes) -> None:
    mime(data)


@budget(300)
@given(files(seeds.every_file()))
def test_sniffing_and_container_unpacking_end_in_our_errors_only(data: bytes) -> None:
    sniff_and_unpack(data)


@budget(200)
@given(files(seeds.containers()))
def test_zip_unpacking_ends_in_our_errors_only(data: bytes) -> None:
    zip_container(data)
