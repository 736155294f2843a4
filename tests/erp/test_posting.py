"""Posting a vendor bill to the sandbox: linked to PO lines, the original attached, posted; and exactly
one bill whatever goes wrong: a second run, a bill already in Odoo, an answer lost, a timeout."""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient
from erp.errors import ErpOutcomeUnknown, PostingBusy
from erp.posting import BillLine, PostingPolicy, bills_for, post_vendor_bill, posting_key
from erp.sandbox import SandboxServer
from models.db import transaction
from models.documents import Document
from models.postings import Posting
from tests.erp.bills import attachment, received_bill
from tests.erp.conftest import make_client

POLICY = PostingPolicy(accounts={"default": "600000", "charge": "600100"}, request_limit_s=60)


def new_document(sessions: sessionmaker[Session], tag: str = "a") -> tuple[int, str]:
    sha = hashlib.sha256(tag.encode()).hexdigest()
    with transaction(sessions) as s:
        doc = Document(sha256=sha, size=1, media_type="application/pdf", source="test", state="approved")
        s.add(doc)
        s.flush()
        return doc.id, posting_key(doc.id, sha)


def post(client: OdooClient, sessions: sessionmaker[Session], doc: int, key: str, draft: Any,
         policy: PostingPolicy = POLICY) -> Any:
    return post_vendor_bill(client, sessions, document_id=doc, key=key, draft=draft, attachment=attachment(draft.ref),
                            policy=policy)


def test_a_bill_is_created_linked_to_its_po_lines_with_the_pdf_and_posted(
        client: OdooClient, sandbox: SandboxServer, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    doc, key = new_document(sessions)
    draft = received_bill(snapshot)
    outcome = post(client, sessions, doc, key, draft)
    assert outcome.status == "posted" and not outcome.adopted and outcome.move_name.startswith("BILL/2025/")
    odoo = client.for_companies([draft.company_id])
    bill = odoo.read("account.move", [outcome.move_id], ["state", "ref", "partner_id", "invoice_line_ids",
                                                         "message_main_attachment_id", "narration"])[0]
    assert (bill["state"], bill["ref"], bill["partner_id"][0]) == ("posted", "INV-7781", draft.partner_id)
    assert key in bill["narration"]
    lines = odoo.read("account.move.line", bill["invoice_line_ids"], ["purchase_line_id", "quantity", "tax_ids"])
    assert sorted(ln["purchase_line_id"][0] for ln in lines) == sorted(ln.purchase_line_id for ln in draft.lines)
    # Odoo's own bookkeeping now says the received quantities are billed.
    po_lines = odoo.read("purchase.order.line", [ln.purchase_line_id for ln in draft.lines],
                         ["qty_invoiced", "qty_received"])
    assert all(pl["qty_invoiced"] == pl["qty_received"] > 0 for pl in po_lines)
    files = odoo.search_read("ir.attachment", [("res_model", "=", "account.move"), ("res_id", "=", outcome.move_id)],
                             ["name", "checksum", "datas", "mimetype"])
    assert len(files) == 1 and files[0]["name"] == "INV-7781.pdf" and files[0]["mimetype"] == "application/pdf"
    assert base64.b64decode(files[0]["datas"]) == attachment().data
    assert bill["message_main_attachment_id"][0] == files[0]["id"]
    with sessions() as s:
        posting = s.get(Posting, 1)
        assert posting is not None and (posting.status, posting.odoo_move_id, posting.odoo_move_name) == (
            "posted", outcome.move_id, outcome.move_name)
        assert posting.odoo_attachment_id == files[0]["id"] and posting.posted_at is not None


def test_posting_again_changes_nothing(client: OdooClient, sandbox: SandboxServer, snapshot: dict[str, Any],
                                       sessions: sessionmaker[Session]) -> None:
    doc, key = new_document(sessions)
    draft = received_bill(snapshot)
    first = post(client, sessions, doc, key, draft)
    sandbox.reset_calls()
    again = post(client, sessions, doc, key, draft)
    assert (again.status, again.move_id, again.attachment_id) == ("posted", first.move_id, first.attachment_id)
    assert not any(call.endswith((".create", ".action_post")) for call in sandbox.call_log)
    assert len(bills_for(client.for_companies([draft.company_id]), partner_id=draft.partner_id, ref=draft.ref)) == 1


def test_a_bill_already_in_odoo_for_the_vendor_and_reference_is_adopted(
        client: OdooClient, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    draft = received_bill(snapshot)
    odoo = client.for_companies([draft.company_id])
    existing = odoo.create("account.move", {"move_type": "in_invoice", "partner_id": draft.partner_id,
                                            "ref": draft.ref, "invoice_date": "2025-03-20",
                                            "invoice_line_ids": [(0, 0, {"name": "keyed in by hand", "quantity": 1,
                                                                         "price_unit": 10})]})
    doc, key = new_document(sessions)
    outcome = post(client, sessions, doc, key, draft)
    assert outcome.adopted and outcome.move_id == existing and outcome.status == "posted"
    assert bills_for(odoo, partner_id=draft.partner_id, ref=draft.ref) == [existing]


def test_a_create_whose_answer_is_lost_still_makes_one_bill(
        client: OdooClient, sandbox: SandboxServer, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    sandbox.add_fault("drop", model="account.move", method="create")
    doc, key = new_document(sessions)
    draft = received_bill(snapshot)
    outcome = post(client, sessions, doc, key, draft)
    assert outcome.status == "posted" and outcome.adopted
    assert bills_for(client.for_companies([draft.company_id]), partner_id=draft.partner_id, ref=draft.ref) == [
        outcome.move_id]


def test_after_a_timeout_no_second_create_is_sent_while_the_first_may_still_commit(
        sandbox: SandboxServer, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    sandbox.add_fault("delay", model="account.move", method="create", delay_s=1.5)
    doc, key = new_document(sessions)
    draft = received_bill(snapshot)
    with make_client(sandbox, timeout_s=0.5) as odoo:
        with pytest.raises(ErpOutcomeUnknown):
            post(odoo, sessions, doc, key, draft)
        # Odoo is still working on the first create: the retry looks, finds nothing yet, and waits.
        with pytest.raises(ErpOutcomeUnknown, match="no second create"):
            post(odoo, sessions, doc, key, draft)
        assert sandbox.wait_idle()
        time.sleep(0.1)
        outcome = post(odoo, sessions, doc, key, draft)
        assert outcome.status == "posted" and outcome.adopted
        assert bills_for(odoo.for_companies([draft.company_id]), partner_id=draft.partner_id,
                         ref=draft.ref) == [outcome.move_id]
    assert sandbox.calls["account.move.create"] == 1


def test_odoo_refusing_the_bill_fails_the_posting_with_odoo_message_and_a_retry_can_succeed(
        client: OdooClient, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    doc, key = new_document(sessions)
    good = received_bill(snapshot)
    bad = replace(good, lines=(replace(good.lines[0], product_id=999999),))
    outcome = post(client, sessions, doc, key, bad)
    assert outcome.status == "failed" and "foreign key" in (outcome.message or "")
    with sessions() as s:
        posting = s.get(Posting, 1)
        assert posting is not None and posting.status == "failed" and "foreign key" in (posting.last_error or "")
    assert bills_for(client.for_companies([good.company_id]), partner_id=good.partner_id, ref=good.ref) == []
    retried = post(client, sessions, doc, key, good)
    assert retried.status == "posted"
    with sessions() as s:
        posting = s.get(Posting, 1)
        assert posting is not None and posting.attempts == 2 and posting.last_error is None


def test_freight_goes_on_the_policy_account_and_a_missing_account_is_explained(
        client: OdooClient, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    draft = received_bill(snapshot)
    freight = BillLine(name="Freight", quantity=Decimal(1), price_unit=Decimal("25.00"), kind="charge", tax_ids=(3,))
    with_freight = replace(draft, lines=(*draft.lines, freight))
    doc, key = new_document(sessions)
    outcome = post(client, sessions, doc, key, with_freight, PostingPolicy(accounts={}))
    assert outcome.status == "failed" and "posting.accounts.charge" in (outcome.message or "")
    outcome = post(client, sessions, doc, key, with_freight)
    assert outcome.status == "posted"
    odoo = client.for_companies([draft.company_id])
    line = odoo.search_read("account.move.line", [("move_id", "=", outcome.move_id), ("name", "=", "Freight")],
                            ["account_id", "purchase_line_id"])[0]
    assert line["account_id"][1] == "Freight and delivery costs" and line["purchase_line_id"] is False


def test_the_policy_can_leave_bills_in_draft(client: OdooClient, snapshot: dict[str, Any],
                                             sessions: sessionmaker[Session]) -> None:
    doc, key = new_document(sessions)
    outcome = post(client, sessions, doc, key, received_bill(snapshot), replace(POLICY, post=False))
    assert outcome.status == "draft" and outcome.move_name is None


def test_a_credit_note_is_a_refund_that_lowers_billed_quantities(
        client: OdooClient, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    invoice = received_bill(snapshot)
    doc, key = new_document(sessions, "invoice")
    post(client, sessions, doc, key, invoice)
    credit = replace(received_bill(snapshot, ref="CN-1", move_type="in_refund"), lines=invoice.lines[:1])
    doc2, key2 = new_document(sessions, "credit")
    outcome = post(client, sessions, doc2, key2, credit)
    assert outcome.status == "posted" and outcome.move_name.startswith("RBILL/")
    line = client.for_companies([invoice.company_id]).read("purchase.order.line", [invoice.lines[0].purchase_line_id],
                                                           ["qty_invoiced"])[0]
    assert line["qty_invoiced"] == 0


def _race(client: OdooClient, sessions: sessionmaker[Session], doc: int, key: str, draft: Any) -> list[Any]:
    """Two deliveries of the same posting at once (a redelivery, the sweeper, a retry pressed in the UI)."""
    import threading

    results: list[Any] = [None, None]

    def deliver(i: int) -> None:
        try:
            results[i] = post(client, sessions, doc, key, draft)
        except PostingBusy as exc:
            results[i] = exc

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.2)  # the first is inside its slow create when the second arrives
    for t in threads:
        t.join(30)
    return results


def test_two_deliveries_of_one_posting_at_once_make_one_bill(
        client: OdooClient, sandbox: SandboxServer, snapshot: dict[str, Any], sessions: sessionmaker[Session]) -> None:
    sandbox.add_fault("delay", model="account.move", method="create", delay_s=1.0)
    doc, key = new_document(sessions)
    draft = received_bill(snapshot)
    first, second = _race(client, sessions, doc, key, draft)
    assert first.status == "posted" and isinstance(second, PostingBusy)
    assert sandbox.calls["account.move.create"] == 1
    assert bills_for(client.for_companies([draft.company_id]), partner_id=draft.partner_id, ref=draft.ref) == [
        first.move_id]


@pytest.mark.servers
def test_two_workers_posting_one_document_on_postgresql_make_one_bill(
        client: OdooClient, sandbox: SandboxServer, snapshot: dict[str, Any], postgres_url: str) -> None:
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade

    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    try:
        sandbox.add_fault("delay", model="account.move", method="create", delay_s=1.0)
        doc, key = new_document(sessions)
        draft = received_bill(snapshot)
        first, second = _race(client, sessions, doc, key, draft)
        assert first.status == "posted" and isinstance(second, PostingBusy)
        # Once the first is done, the lock is free again: a later delivery finds the bill and changes nothing.
        again = post(client, sessions, doc, key, draft)
        assert again.move_id == first.move_id and sandbox.calls["account.move.create"] == 1
    finally:
        engine.dispose()
