"""The e-mails are what the mail intake will meet: a vendor's message with its PDF, two invoices in one
message, a message forwarded by a clinic; the intake's own MIME code finds every invoice in them."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

from ingest.mail.mime import envelope_of, parse_message, unpack_message


def _expected(written_world: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((written_world / "expected").glob("*.json"))]


def test_each_message_carries_its_invoices_and_comes_from_the_vendor(written_world: Path) -> None:
    kinds = set()
    for expected in _expected(written_world):
        mail = expected.get("email")
        if not isinstance(mail, dict):
            continue
        raw = (written_world / str(mail["path"])).read_bytes()
        msg = parse_message(raw)
        unpacked = unpack_message(raw, max_total_bytes=50_000_000)
        names = [m.filename for m in unpacked.members]
        assert mail["attachment"] in names, (mail, names)
        assert len(names) == len(mail["invoices"])  # type: ignore[arg-type]
        envelope = envelope_of(msg)
        if mail["forwarded"]:
            assert envelope["from_domain"] == "rheinwald-kliniken.de"
            assert any(part.get_content_type() == "message/rfc822" for part in msg.walk())
            kinds.add("forwarded")
        else:
            assert envelope["from_domain"] != "rheinwald-kliniken.de"
            kinds.add("two" if len(names) > 1 else "one")  # type: ignore[arg-type]
        assert msg["Message-ID"] and msg["Date"]
    assert "one" in kinds


def test_boundaries_are_fixed_not_random(written_world: Path) -> None:
    path = next((written_world / "documents").glob("*.eml"))
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    boundary = msg.get_boundary()
    assert boundary is not None and boundary.startswith("=_")
