"""The pipeline's posting stage (``payables.stages.post``) on the sandbox: an approved invoice becomes one
posted bill built from its extraction and its match (PO lines in the PO's unit, freight on the policy's
account), the document becomes POSTED; Odoo's refusal leaves it in POSTING_FAILED with Odoo's message,
and a retry after the fix posts it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient
from erp.posting import bills_for
from erp.sandbox import SandboxServer
from erp.snapshot_import import import_snapshot
from ingest.intake import Envelope
from ingest.storage import open_store
from models.audit import AuditEntry
from models.db import make_engine, make_session_factory, transaction
from models.documents import Document
from models.extractions import Extraction
from models.invoice import FieldValue, InvoiceData, LineItem
from models.matching import MatchResult
from models.states import DocumentState
from payables.runtime import Runtime
from payables.settings import load_settings
from payables.stages import post
from tests.erp.bills import invoice_pdf
from tests.erp.conftest import API_KEY

ORDER = 603


@pytest.fixture
def rt(sandbox: SandboxServer, db_url: str, tmp_path: Path, snapshot: dict[str, Any]) -> Iterator[Runtime]:
    policy = tmp_path / "policy.toml"
    policy.write_text('[posting]\npost = true\n[posting.accounts]\ndefault = "600000"\ncharge = "600100"\n')
    settings = load_settings(data_dir=tmp_path / "var", database_url=db_url, odoo_url=sandbox.url, odoo_db="sandbox",
                             odoo_user="admin", odoo_api_key=API_KEY, policy_file=policy)
    engine = make_engine(db_url)
    runtime = Runtime(settings, engine, make_session_factory(engine), open_store(f"file://{tmp_path / 'objects'}"))
    import_snapshot(snapshot, runtime.sessions)
    yield runtime
    runtime.close()


def approved_invoice(rt: Runtime, snapshot: dict[str, Any], ref: str = "RE-2025-0815",
                     po_line_override: int | None = None) -> int:
    lines = [ln for ln in snapshot["models"]["purchase.order.line"] if ln["order_id"] == ORDER
             and float(ln["qty_received"]) > 0]
    registered = rt.intake.register(invoice_pdf(ref), Envelope(source="test", filename=f"{ref}.pdf"))
    assert registered.document_id is not None
    invoice = InvoiceData(fields={
        "invoice_number": FieldValue(ref, 0.99), "invoice_date": FieldValue("2025-03-20", 0.99),
        "due_date": FieldValue("2025-04-19", 0.95), "currency": FieldValue("EUR", 0.99)},
        lines=[*[LineItem({"description": FieldValue(ln["name"]), "quantity": FieldValue(ln["qty_received"]),
                           "unit_price": FieldValue(ln["price_unit"]), "tax_rate": FieldValue("19")}) for ln in lines],
               LineItem({"description": FieldValue("Freight"), "amount": FieldValue("25.00"),
                         "tax_rate": FieldValue("19")})])
    detail = {
        "version": 1, "company_id": 2,
        "lines": [{"po_line_id": po_line_override or ln["id"], "product_id": ln["product_id"], "invoice_lines": [
            {"line": i + 1, "quantity_in_po_unit": ln["qty_received"], "price_in_po_unit": ln["price_unit"],
             "amount": "0"}]} for i, ln in enumerate(lines)],
        "invoice_lines": [*[{"line": i + 1, "description": ln["name"], "kind": "po", "po_line_id": ln["id"],
                             "amount": "0"} for i, ln in enumerate(lines)],
                          {"line": len(lines) + 1, "description": "Freight", "kind": "charge", "po_line_id": None,
                           "amount": "25.00"}]}
    with transaction(rt.sessions) as s:
        doc = s.get(Document, registered.document_id)
        assert doc is not None
        doc.state, doc.vendor_id, doc.company_id = DocumentState.AUTO_APPROVED.value, 103, 2
        doc.invoice_number, doc.invoice_date, doc.currency, doc.doc_type = ref, "2025-03-20", "EUR", "invoice"
        s.add(Extraction(document_id=doc.id, version=1, kind="machine", engine="test", data=invoice.to_json()))
        s.add(MatchResult(document_id=doc.id, run=1, extraction_version=1, vendor_id=103, decision="auto_approve",
                          detail=detail))
        return doc.id


def state(sessions: sessionmaker[Session], doc: int) -> Document:
    with sessions() as s:
        found = s.get(Document, doc)
        assert found is not None
        return found


def test_an_approved_invoice_becomes_one_posted_bill(rt: Runtime, snapshot: dict[str, Any],
                                                     client: OdooClient) -> None:
    doc = approved_invoice(rt, snapshot)
    assert post.run(rt, doc) == []
    assert state(rt.sessions, doc).state == DocumentState.POSTED.value
    odoo = client.for_companies([2])
    bills = bills_for(odoo, partner_id=103, ref="RE-2025-0815")
    assert len(bills) == 1
    lines = odoo.search_read("account.move.line", [("move_id", "=", bills[0])],
                             ["purchase_line_id", "account_id", "name", "tax_ids"])
    freight = [ln for ln in lines if ln["name"] == "Freight"]
    assert freight and freight[0]["account_id"][1] == "Freight and delivery costs" and freight[0]["tax_ids"] == [3]
    assert all(ln["purchase_line_id"] for ln in lines if ln["name"] != "Freight")
    assert odoo.search("ir.attachment", [("res_model", "=", "account.move"), ("res_id", "=", bills[0])])
    with rt.sessions() as s:
        moves = [e.to_state for e in s.execute(select(AuditEntry).where(AuditEntry.document_id == doc)
                                                .order_by(AuditEntry.id)).scalars()]
    assert moves[-2:] == ["posting", "posted"]
    assert post.run(rt, doc) == []  # a second delivery of the message does nothing
    assert len(bills_for(odoo, partner_id=103, ref="RE-2025-0815")) == 1


def test_odoo_refusing_the_bill_is_posting_failed_with_its_message_and_retryable(
        rt: Runtime, snapshot: dict[str, Any], client: OdooClient, sandbox: SandboxServer) -> None:
    doc = approved_invoice(rt, snapshot)
    odoo = client.for_companies([2])
    # Someone archives the freight account in Odoo: the bill cannot be booked as the policy says.
    freight_account = odoo.search("account.account", [("code", "=", "600100"), ("company_ids", "in", [2])])
    odoo.write("account.account", freight_account, {"active": False})
    post.run(rt, doc)
    failed = state(rt.sessions, doc)
    assert failed.state == DocumentState.POSTING_FAILED.value
    assert "no account 600100" in (failed.failure_reason or "")
    odoo.write("account.account", freight_account, {"active": True})
    post.run(rt, doc)
    assert state(rt.sessions, doc).state == DocumentState.POSTED.value
    assert len(bills_for(odoo, partner_id=103, ref="RE-2025-0815")) == 1


def test_a_match_naming_a_po_line_the_mirror_lost_is_not_posted(rt: Runtime, snapshot: dict[str, Any],
                                                                 client: OdooClient) -> None:
    doc = approved_invoice(rt, snapshot, ref="RE-LOST", po_line_override=999999)
    post.run(rt, doc)
    failed = state(rt.sessions, doc)
    assert failed.state == DocumentState.POSTING_FAILED.value and "match the invoice again" in (
        failed.failure_reason or "")
    assert bills_for(client.for_companies([2]), partner_id=103, ref="RE-LOST") == []
