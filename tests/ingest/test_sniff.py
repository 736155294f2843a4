"""The type of a file is read from its bytes; names and declared types are never trusted."""

from __future__ import annotations

import pytest

from ingest.sniff import EML, JPEG, PDF, PNG, TIFF, XML, ZIP, sniff
from tests.ingest import samples


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.pdf(), PDF),
        (b"\r\n\r\n%PDF-1.4 junk before the header is tolerated, as readers do", PDF),
        (samples.png(), PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"II*\x00\x08\x00\x00\x00", TIFF),
        (b"MM\x00*\x00\x00\x00\x08", TIFF),
        (b'\xef\xbb\xbf<?xml version="1.0"?><Invoice/>', XML),
        (b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", XML),
        (samples.email_with({"a.pdf": samples.pdf()}), EML),
        (samples.zip_of({"a.pdf": b"x"}), ZIP),
    ],
)
def test_accepted_types_are_recognised_from_their_bytes(data: bytes, expected: str) -> None:
    assert sniff(data).media_type == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "Windows executable"),
        (b"\x7fELF\x02\x01\x01", "Linux executable"),
        (b"GIF89a....", "GIF"),
        (b"just some text that is not an invoice format", "plain text"),
        (bytes(range(256)) * 4, "unknown type"),
    ],
)
def test_other_types_are_refused_with_what_they_are(data: bytes, words: str) -> None:
    sniffed = sniff(data)
    assert sniffed.media_type is None
    assert words in sniffed.description
