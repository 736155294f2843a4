"""The audit trail as people read it, and the CSV export auditors take away."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from models.audit import AuditEntry, append_audit, entry_hash
from models.db import transaction
from review_ui.services.history import AuditQuery, audit_page, document_history, export_csv
from review_ui.sites import SiteScope
from tests.review_ui.conftest import World
from tests.review_ui.factories import InvoiceSpec, make_invoice, works_for


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


def test_an_auditor_restricted_to_sites_reads_those_sites_documents_entries_only(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        ids = {site: make_invoice(db, world.rt.store, InvoiceSpec(number=f"H-{site}"), site=site).document.id
               for site in ("HAM", "BER", None)}
        for doc_id in ids.values():
            append_audit(db, actor="user:alice", action="reject", document_id=doc_id, reason="not ours")
        append_audit(db, actor="system:cli", action="user_created", changes={"user": "zoe"})
    hamburg = SiteScope(frozenset({"HAM"}))
    with world.db() as db:
        everything, _ = audit_page(db, AuditQuery(), 1)
        scoped, _ = audit_page(db, AuditQuery(scope=hamburg), 1)
        asked_for_berlin, _ = audit_page(db, AuditQuery(document_id=ids["BER"], scope=hamburg), 1)
    assert {r.document_id for r in everything} == {*ids.values(), None}
    # Account changes concern no site: they are the group-wide auditors' to read.
    assert {r.document_id for r in scoped} == {ids["HAM"]} and asked_for_berlin == []
    text = "".join(export_csv(world.rt.sessions, AuditQuery(scope=hamburg)))
    assert {r["document_id"] for r in csv.DictReader(io.StringIO(text))} == {str(ids["HAM"])}
    # Over the app: the auditor's sites as stored decide, and the export records whose view it was.
    with transaction(world.rt.sessions) as db:
        works_for(db, world.users["otto"].id, "HAM")
    client = world.client("otto")
    exported = client.get("/audit/export.csv")
    assert {r["document_id"] for r in csv.DictReader(io.StringIO(exported.text))} == {str(ids["HAM"])}
    assert {e["document_id"] for e in client.get("/api/v1/audit").json()} == {ids["HAM"]}
    with world.db() as db:
        export = db.execute(select(AuditEntry).where(AuditEntry.action == "audit_export")).scalar_one()
    assert export.changes["sites"] == "HAM"

