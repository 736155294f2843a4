"""Crashes the fuzzers found in packages this suite does not own, reported to their owners: each is
pinned by a strict xfail, so the fix turns it into an unexpected pass that fails the build until the
``KNOWN`` entry in ``targets.py`` and the marker here are removed (the fuzzers then guard the fix)."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from extraction.api import ReadLimits
from models.errors import DocumentUnreadable


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
