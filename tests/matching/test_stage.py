"""The match stage on the embedded database: states, holds, review tasks, re-evaluation, idempotency."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from models.audit import AuditEntry
from models.db import transaction
from models.documents import Document
from models.matching import Hold, MatchResult
from models.mirror import PurchaseOrderLine
from models.review import ReviewTask
from models.states import DocumentState
from payables.runtime import Runtime
from payables.settings import load_settings
from payables.stages import Next, rematch
from payables.stages import match as match_stage
from tests.matching.sql_world import add_extracted, persist_world
from tests.matching.world import World, invoice


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    runtime = Runtime.from_settings(load_settings(data_dir=tmp_path / "var"))
    try:
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def pg_rt(tmp_path: Path, postgres_url: str) -> Iterator[Runtime]:
    runtime = Runtime.from_settings(load_settings(data_dir=tmp_path / "var", database_url=postgres_url))
    try:
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def world() -> World:
    w = World()
    v = w.vendor("Müller Medizintechnik GmbH", domain="mueller-med.de")
    gloves = w.product("Nitrile gloves M", code="NG-M", vendor=v, vendor_code="4711-M")
    masks = w.product("Surgical masks type IIR", code="SM-2")
    w.order(v, (gloves, 100, "4.10", 100), (masks, 50, "2.00", 0), name="P00042")
    return w


def _state(rt: Runtime, doc_id: int) -> str:
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        return doc.state


def _open_codes(rt: Runtime, doc_id: int) -> list[str]:
    with rt.sessions() as s:
        return sorted(s.scalars(select(Hold.code).where(Hold.document_id == doc_id, Hold.status == "open")))


def test_a_clean_invoice_is_auto_approved_and_sent_to_posting(rt: Runtime, world: World) -> None:
    v = world.vendors[0]
    with transaction(rt.sessions) as s:
        persist_world(world, s)
        doc_id = add_extracted(s, invoice(v, ("Nitrile gloves M", 100, "4.10", "4711-M"), po="P00042"))
    assert match_stage.run(rt, doc_id) == [Next("post", doc_id)]
    assert _state(rt, doc_id) == DocumentState.AUTO_APPROVED.value
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.vendor_id == v.id and doc.company_id == 1 and doc.site == "HH01"
        result = s.scalars(select(MatchResult).where(MatchResult.document_id == doc_id)).one()
        assert result.decision == "auto_approve"
        assert result.detail["billed"] == [[world.lines[0].id, "100"]]
        assert result.detail["lines"][0]["received"] == "100"
    # A second delivery of the message finds the document moved on and writes nothing.
    assert match_stage.run(rt, doc_id) == []
    with rt.sessions() as s:
        assert s.scalar(select(func.count(MatchResult.id))) == 1


def test_a_held_invoice_gets_a_review_task_with_role_priority_and_due_time(rt: Runtime, world: World) -> None:
    v = world.vendors[0]
    with transaction(rt.sessions) as s:
        persist_world(world, s)
        doc_id = add_extracted(s, invoice(v, ("Nitrile gloves M", 100, "4.10", "4711-M"),
                                          ("Surgical masks type IIR", 50, "2.00"), po="P00042",
                                          iban="DE44500105175407324931"))
    assert match_stage.run(rt, doc_id) == []
    assert _state(rt, doc_id) == DocumentState.IN_REVIEW.value
    assert _open_codes(rt, doc_id) == ["BANK_DETAILS_CHANGED", "NOT_RECEIVED"]
    with rt.sessions() as s:
        task = s.scalars(select(ReviewTask).where(ReviewTask.document_id == doc_id)).one()
        assert task.required_role == "manager" and task.queue == "exceptions"
        assert task.priority == 95 and task.due_at is not None
        hold = s.scalars(select(Hold).where(Hold.code == "NOT_RECEIVED")).one()
        assert hold.release_role == "clerk" and "nothing has been received" in hold.message


def test_a_late_receipt_clears_not_received_and_the_invoice_posts(rt: Runtime, world: World) -> None:
    v = world.vendors[0]
    masks_line = world.lines[1].id
    with transaction(rt.sessions) as s:
        persist_world(world, s)
        doc_id = add_extracted(s, invoice(v, ("Surgical masks type IIR", 50, "2.00"), po="P00042"))
    match_stage.run(rt, doc_id)
    assert _open_codes(rt, doc_id) == ["NOT_RECEIVED"]
    with transaction(rt.sessions) as s:
        s.execute(update(PurchaseOrderLine).where(PurchaseOrderLine.id == masks_line)
                  .values(qty_received=Decimal(50)))
    report = rematch.rematch_after_sync(rt)
    assert report.auto_approved == [doc_id] and report.following == [Next("post", doc_id)]
    assert _state(rt, doc_id) == DocumentState.AUTO_APPROVED.value
    with rt.sessions() as s:
        assert s.scalars(select(Hold.status).where(Hold.document_id == doc_id)).all() == ["cleared"]
        assert s.scalars(select(ReviewTask.status).where(ReviewTask.document_id == doc_id)).all() == ["done"]


def test_a_released_hold_stays_released_and_a_person_must_approve(rt: Runtime, world: World) -> None:
    v = world.vendors[0]
    with transaction(rt.sessions) as s:
        persist_world(world, s)
        doc_id = add_extracted(s, invoice(v, ("Nitrile gloves M", 100, "4.30", "4711-M"), po="P00042"))
    match_stage.run(rt, doc_id)
    assert _open_codes(rt, doc_id) == ["PRICE_VARIANCE"]
    with transaction(rt.sessions) as s:
        s.execute(update(Hold).where(Hold.document_id == doc_id).values(
            status="released", release_reason="price rise agreed by phone"))
    assert rematch.run(rt, doc_id) == []
    assert _state(rt, doc_id) == DocumentState.IN_REVIEW.value
    with rt.sessions() as s:
        hold = s.scalars(select(Hold).where(Hold.document_id == doc_id)).one()
        assert hold.status == "released" and hold.release_reason == "price rise agreed by phone"
        task = s.scalars(select(ReviewTask).where(ReviewTask.document_id == doc_id)).one()
        assert task.queue == "approvals" and task.status == "open"
        runs = s.scalars(select(MatchResult.run).where(MatchResult.document_id == doc_id)).all()
        assert sorted(runs) == [1, 2]


def test_a_second_copy_of_an_approved_invoice_is_held_as_duplicate(rt: Runtime, world: World) -> None:
    v = world.vendors[0]
    inv = invoice(v, ("Nitrile gloves M", 40, "4.10", "4711-M"), po="P00042", number="RE-2025/117")
    with transaction(rt.sessions) as s:
        persist_world(world, s)
        first = add_extracted(s, inv)
        second = add_extracted(s, replace(inv, warnings=[]))
    match_stage.run(rt, first)
    match_stage.run(rt, second)
    assert _state(rt, first) == DocumentState.AUTO_APPROVED.value
    assert _open_codes(rt, second) == ["DUPLICATE_SUSPECTED"]


@pytest.mark.servers
def test_on_postgresql_holds_with_long_values_fit_and_copies_are_serialised(pg_rt: Runtime, world: World) -> None:
    """The production database: column sizes are enforced and the per-vendor duplicate lock is real SQL."""
    v = world.vendors[0]
    inv = invoice(v, ("Nitrile gloves M", 60, "4.10", "4711-M"), ("Versandkosten und Verpackung", 1, "250.00"),
                  ("Mindermengenzuschlag", 1, "40.00"), ("Frachtkosten Express", 1, "35.00"), po="P00042",
                  number="RE-2025/118")
    with transaction(pg_rt.sessions) as s:
        persist_world(world, s)
        first = add_extracted(s, invoice(v, ("Nitrile gloves M", 40, "4.10", "4711-M"), po="P00042",
                                         number="RE-2025/117"))
        second = add_extracted(s, invoice(v, ("Nitrile gloves M", 40, "4.10", "4711-M"), po="P00042",
                                          number="RE 2025 117"))
        charged = add_extracted(s, inv)
    assert match_stage.run(pg_rt, first) == [Next("post", first)]
    match_stage.run(pg_rt, second)
    match_stage.run(pg_rt, charged)
    assert _open_codes(pg_rt, second) == ["DUPLICATE_SUSPECTED"]
    assert _open_codes(pg_rt, charged) == ["AMOUNT_VARIANCE"]


def test_re_evaluating_a_document_nothing_has_changed_for_writes_nothing(rt: Runtime, world: World) -> None:
    v = world.vendors[0]
    with transaction(rt.sessions) as s:
        persist_world(world, s)
        doc_id = add_extracted(s, invoice(v, ("Surgical masks type IIR", 50, "2.00"), po="P00042"))
    match_stage.run(rt, doc_id)
    with rt.sessions() as s:
        audit_before = s.scalar(select(func.count(AuditEntry.id)))
    report = rematch.rematch_after_sync(rt)
    assert report.still_in_review == [doc_id]
    with rt.sessions() as s:
        assert s.scalar(select(func.count(MatchResult.id)).where(MatchResult.document_id == doc_id)) == 1
        assert s.scalar(select(func.count(AuditEntry.id))) == audit_before
