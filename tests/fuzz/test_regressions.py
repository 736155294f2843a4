"""Crashes the fuzzers found, now fixed (in ``ingest/``, ``payables/``, ``models/`` by this suite; in
``extraction/`` by its owner; those in matching and the review UI have their tests beside those packages):
each input, made again here, now ends in the project's own error or a recorded skip."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from extraction.api import ReadLimits
from ingest.containers import unpack_zip
from models.errors import ConfigurationError, DocumentUnreadable
from payables.stages.post import load_posting_policy
from tests.fuzz import seeds


def _zip_with_damaged_deflate_member() -> bytes:
    pdf = seeds.pdfs()[0]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("good.pdf", pdf)
        zf.writestr("bad.pdf", pdf)
    data = bytearray(buf.getvalue())
    # The second member's compressed bytes start after its local header (30 bytes + its name).
    start = data.index(b"PK\x03\x04", 4) + 30 + len("bad.pdf")
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    return bytes(data)


def test_a_zip_member_with_damaged_deflate_data_is_skipped_with_its_reason() -> None:
    unpacked = unpack_zip(_zip_with_damaged_deflate_member(), max_total_bytes=10_000_000)
    assert [m.filename for m in unpacked.members] == ["good.pdf"]
    assert unpacked.skipped and unpacked.skipped[0].startswith("bad.pdf: unreadable")


def test_a_zip_whose_directory_offset_points_past_itself_is_skipped_not_a_crash() -> None:
    """The end record claims the central directory starts 300 bytes later than it does: zipfile then
    places the members before the start of the file and its seek raises ValueError."""
    data = bytearray(seeds.zip_of({"invoice.pdf": seeds.pdfs()[0]}))
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 16, struct.unpack_from("<I", data, end + 16)[0] + 300)
    unpacked = unpack_zip(bytes(data), max_total_bytes=10_000_000)
    assert not unpacked.members
    assert unpacked.skipped and "negative seek" in unpacked.skipped[0]


def test_a_zip_that_claims_a_future_zip_version_is_refused_as_damaged() -> None:
    from models.errors import InputRefused

    data = bytearray(seeds.zip_of({"invoice.pdf": seeds.pdfs()[0]}))
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 100  # "version needed to extract": 10.0
    with pytest.raises(InputRefused) as refused:
        unpack_zip(bytes(data), max_total_bytes=10_000_000)
    assert refused.value.code == "zip_corrupt"


def test_a_zip_member_without_a_name_is_skipped_and_the_others_taken() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("x"), b"nameless")
        zf.writestr("invoice.pdf", seeds.pdfs()[0])
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 28, 0)  # the first member's name length: 0
    data[central + 46:central + 47] = b""
    struct.pack_into("<H", data, data.rindex(b"PK\x05\x06") + 12,
                     struct.unpack_from("<H", data, data.rindex(b"PK\x05\x06") + 12)[0] - 1)
    unpacked = unpack_zip(bytes(data), max_total_bytes=10_000_000)
    assert [m.filename for m in unpacked.members] == ["invoice.pdf"]
    assert unpacked.skipped == ["a member without a name"]


@pytest.mark.parametrize("text", ["just a string\n", "- a\n- list\n", "posting: 5\n", "posting: [1, 2]\n"])
def test_a_posting_policy_that_is_not_a_table_is_a_configuration_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError):
        load_posting_policy(path)


def test_a_posting_policy_that_is_not_utf8_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes(b"\xff\xfe[posting]\npost = false\n")
    with pytest.raises(ConfigurationError):
        load_posting_policy(path)


@pytest.mark.parametrize("text", ["A´", "de 136 695 976´", "FR\u00a0¨12345678901"])
def test_normalising_a_vat_id_twice_changes_nothing(text: str) -> None:
    from models.identifiers import normalise_vat

    once = normalise_vat(text)
    assert normalise_vat(once) == once


def _pdf_with_cut_image_stream() -> bytes:
    """An image-only PDF whose image stream stops early, its ``endstream`` lost (a truncated upload
    that a tool then 'repaired' by appending the rest of the file)."""
    data = seeds.pdfs()[2]
    start = data.index(b"stream\n", data.index(b"3 0 obj")) + len(b"stream\n")
    end = data.index(b"endstream\n", start) + len(b"endstream\n")
    return data[:start + 100] + data[end:]


def test_a_pdf_page_pdfium_cannot_load_is_unreadable_not_a_crash() -> None:
    from extraction.pages import read_pages

    with pytest.raises(DocumentUnreadable):
        read_pages(_pdf_with_cut_image_stream(), "application/pdf", ReadLimits(ocr_languages="eng"), workers=1)


def _tiff_with_a_page_without_width() -> bytes:
    frames = [Image.new("L", (120, 80), shade) for shade in (255, 200)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    data = bytearray(buf.getvalue())
    first = struct.unpack_from("<I", data, 4)[0]
    second = struct.unpack_from("<I", data, first + 2 + 12 * struct.unpack_from("<H", data, first)[0])[0]
    for k in range(struct.unpack_from("<H", data, second)[0]):
        at = second + 2 + 12 * k
        if struct.unpack_from("<H", data, at)[0] == 256:  # ImageWidth → an unknown private tag
            struct.pack_into("<H", data, at, 65000)
    return bytes(data)


def test_a_tiff_whose_second_page_is_damaged_is_unreadable_not_a_crash() -> None:
    from extraction.images import read_image_pages

    with pytest.raises(DocumentUnreadable):
        list(read_image_pages(_tiff_with_a_page_without_width(), ReadLimits()))
