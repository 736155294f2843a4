"""Crashes the fuzzers found in packages this suite does not own, reported to their owners: each is
pinned by a strict xfail, so the fix turns it into an unexpected pass that fails the build until the
``KNOWN`` entry in ``targets.py`` and the marker here are removed (the fuzzers then guard the fix)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from extraction.api import ReadLimits
from models.errors import ConfigurationError, DocumentUnreadable


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


@pytest.mark.xfail(strict=True, reason="extraction/images.py count_frames catches only EOFError from "
                                       "Image.seek; Pillow raises TypeError on a later TIFF page without "
                                       "dimensions (reported to extraction)")
def test_a_tiff_whose_second_page_is_damaged_is_unreadable_not_a_crash() -> None:
    from extraction.images import read_image_pages

    with pytest.raises(DocumentUnreadable):
        list(read_image_pages(_tiff_with_a_page_without_width(), ReadLimits()))


@pytest.mark.xfail(strict=True, reason="matching/policy/load.py reads the policy with read_text and lets "
                                       "UnicodeDecodeError escape (reported to matching)")
def test_a_policy_file_that_is_not_utf8_is_a_configuration_error(tmp_path: Path) -> None:
    from matching.policy import load_policy

    path = tmp_path / "policy.toml"
    path.write_bytes(b"\xff\xfe[checks.price]\nupper = { percent = 5 }\n")
    with pytest.raises(ConfigurationError):
        load_policy(path)


@pytest.mark.xfail(strict=True, reason="payables/stages/post.py reads [posting] from PAYABLES_POLICY_FILE, but "
                                       "matching/policy refuses the same file ('posting: Extra inputs are not "
                                       "permitted'), so setting request_limit_s fails every match (found by the "
                                       "Odoo-slow fault scenario; reported to matching and erp)")
def test_the_policy_file_may_carry_the_posting_table_its_documentation_shows() -> None:
    from matching.policy import parse_policy

    parse_policy("[posting]\npost = true\nrequest_limit_s = 150\n", "policy.toml")


@pytest.mark.xfail(strict=True, reason="review_ui: path ids are unbounded ints, so an id of 2**63 or more reaches "
                                       "the database and the request ends in a server error (OverflowError on "
                                       "SQLite, 'integer out of range' on PostgreSQL) instead of 404/422; found by "
                                       "the schemathesis API fuzz (reported to review_ui)")
def test_an_id_beyond_64_bits_is_not_found_rather_than_a_server_error(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from models.migrate import upgrade
    from tests.review_ui.conftest import build_world

    upgrade(f"sqlite:///{tmp_path / 'template.db'}")
    (tmp_path / "w").mkdir()
    world = build_world(tmp_path / "w", tmp_path / "template.db")
    try:
        signed_in = world.client("alice")
        csrf = signed_in.get("/api/v1/me").json()["csrf_token"]
        client = TestClient(world.app, raise_server_exceptions=False)
        client.cookies = signed_in.cookies
        big = 2**63
        statuses = {path: getattr(client, method)(path, headers={"X-CSRF-Token": csrf}).status_code
                    for method, path in (("get", f"/api/v1/documents/{big}"), ("delete", f"/api/v1/views/{big}"),
                                         ("get", f"/documents/{big}"))}
    finally:
        world.rt.close()
    assert all(code in (404, 422) for code in statuses.values()), statuses
