"""The audit trail as people read it, and the CSV export auditors take away."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from models.audit import AuditEntry, append_audit, entry_hash
from models.db import transaction
from review_ui.services.history import AuditQuery, document_history, export_csv
from tests.review_ui.conftest import World


def test_history_shows_from_and_to_values(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        append_audit(db, actor="user:alice", action="correction", document_id=5, reason="misread",
                     changes={"version": 2, "fields": {"invoice_number": {"from": "INV-2O24", "to": "INV-2024"}}})
        append_audit(db, actor="user:mia", action="assign", document_id=5,
                     changes={"assignee": {"from": None, "to": "bob"}})
    with world.db() as db:
        rows = document_history(db, 5)
    correction, assign = rows
    assert [(c.what, c.before, c.after) for c in correction.changes] == [("invoice_number", "INV-2O24", "INV-2024")]
    assert correction.details == [("version", "2")]
    assert [(c.what, c.before, c.after) for c in assign.changes] == [("assignee", "—", "bob")]


def test_the_export_keeps_every_value_and_the_hashes_and_defuses_formulas(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        append_audit(db, actor="user:alice", action="reject", document_id=9,
                     reason='=HYPERLINK("http://evil.example","click")', changes={"note": "+1 555"})
        append_audit(db, actor="system:extract", action="state", document_id=9, from_state="stored",
                     to_state="text_ready")
    text = "".join(export_csv(world.rt.sessions, AuditQuery(document_id=9), batch=1))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["action"] for r in rows] == ["reject", "state"]
    assert rows[0]["reason"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert json.loads(rows[0]["changes"]) == {"note": "+1 555"}
    with world.db() as db:
        stored = db.execute(select(AuditEntry).where(AuditEntry.document_id == 9).order_by(AuditEntry.id)).scalars()
        for entry, row in zip(stored, rows, strict=True):
            assert row["hash"] == entry.hash == entry_hash(entry.prev_hash, entry)
            assert row["prev_hash"] == entry.prev_hash


def test_the_export_through_the_app_is_an_attachment_and_is_itself_audited(world: World) -> None:
    client = world.client("otto")
    response = client.get("/audit/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="audit-')
    assert response.text.splitlines()[0].startswith("id,at,actor,")
    with world.db() as db:
        assert db.execute(select(AuditEntry).where(AuditEntry.action == "audit_export")).scalar_one().actor \
            == "user:otto"
    assert world.client("alice").get("/audit/export.csv").status_code == 403
