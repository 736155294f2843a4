"""Decisions on a document in review, through the services, on the real embedded wiring."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models.audit import AuditEntry, verify_chain
from models.db import transaction
from models.documents import Document
from models.errors import NotAuthorised, StateConflict
from models.matching import Hold
from models.review import ReviewTask
from models.states import DocumentState
from review_ui.deps import Actor
from review_ui.services import assignment, decisions
from review_ui.services.corrections import CorrectionInput, FieldEdit, save_correction
from review_ui.services.errors import InvalidInput, NotFound
from tests.review_ui.conftest import World
from tests.review_ui.factories import BANK_HOLD, OVER_LIMIT_HOLD, PRICE_HOLD, InvoiceSpec, make_invoice


def actor(world: World, name: str) -> Actor:
    """The user as the guard would see them now (their sites as stored at this moment)."""
    from models.roles import Role
    from models.users import User
    from review_ui.sites import SiteScope

    with world.db() as db:
        u = db.get(User, world.users[name].id)
        assert u is not None
        return Actor(u.id, u.username, u.display_name, Role(u.role), u.approval_limit, u.mfa_enabled, "s", "c",
                     None, SiteScope.of(u.sites))


def invoice(world: World, **kw: object) -> tuple[int, list[int]]:
    with transaction(world.rt.sessions) as db:
        made = make_invoice(db, world.rt.store, **kw)  # type: ignore[arg-type]
        return made.document.id, [h.id for h in made.holds]


def state(world: World, doc_id: int) -> str:
    with world.db() as db:
        doc = db.get(Document, doc_id)
        assert doc is not None
        return doc.state


def audit(world: World, doc_id: int) -> list[AuditEntry]:
    with world.db() as db:
        return list(db.execute(select(AuditEntry).where(AuditEntry.document_id == doc_id)
                               .order_by(AuditEntry.id)).scalars())


def test_releasing_a_price_hold_records_who_why_and_the_numbers(world: World) -> None:
    doc_id, (hold_id,) = invoice(world, holds=[PRICE_HOLD])
    decisions.release_hold(world.ctx, actor(world, "alice"), doc_id, hold_id, "agreed new price with vendor")
    with world.db() as db:
        hold = db.get(Hold, hold_id)
        task = db.execute(select(ReviewTask).where(ReviewTask.document_id == doc_id)).scalar_one()
    assert hold is not None and hold.status == "released" and hold.released_by == world.users["alice"].id
    assert hold.release_reason == "agreed new price with vendor"
    assert task.assignee_id == world.users["alice"].id  # acting on it made it hers
    entry = audit(world, doc_id)[-1]
    assert entry.action == "release_hold" and entry.actor == "user:alice"
    assert entry.changes["hold"] == "PRICE_VARIANCE" and entry.changes["measured"] == "5.0%"


def test_a_release_needs_a_reason(world: World) -> None:
    doc_id, (hold_id,) = invoice(world, holds=[PRICE_HOLD])
    with pytest.raises(InvalidInput, match="Say why"):
        decisions.release_hold(world.ctx, actor(world, "alice"), doc_id, hold_id, "ok")


def test_approval_moves_to_approved_closes_the_task_and_asks_for_posting(world: World) -> None:
    doc_id, (hold_id,) = invoice(world, holds=[PRICE_HOLD])
    decisions.release_hold(world.ctx, actor(world, "alice"), doc_id, hold_id, "price list updated in March")
    with pytest.raises(NotAuthorised, match=r"(?i)you released one of its holds"):
        decisions.approve(world.ctx, actor(world, "alice"), doc_id)
    assert state(world, doc_id) == "in_review" and world.queued("post") == []
    decisions.approve(world.ctx, actor(world, "bob"), doc_id, "checked against the contract")
    assert state(world, doc_id) == "approved"
    assert world.queued("post") == [doc_id]
    with world.db() as db:
        assert db.execute(select(ReviewTask.status).where(ReviewTask.document_id == doc_id)).scalar() == "done"
    last = audit(world, doc_id)[-1]
    assert (last.from_state, last.to_state, last.actor) == ("in_review", "approved", "user:bob")
    assert last.changes["approval_limit"] == "5000.000000" or Decimal(last.changes["approval_limit"]) == 5000
    with world.db() as db:
        assert verify_chain(db.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()).ok


def test_the_corrector_cannot_approve_but_another_clerk_can(world: World) -> None:
    doc_id, _ = invoice(world, misread_number="INV-2O24-0117")
    save_correction(world.ctx, actor(world, "alice"), doc_id,
                    CorrectionInput(header={"invoice_number": FieldEdit("INV-2024-0117")}))
    with pytest.raises(NotAuthorised, match=r"(?i)you corrected this invoice"):
        decisions.approve(world.ctx, actor(world, "alice"), doc_id)
    decisions.approve(world.ctx, actor(world, "bob"), doc_id)
    assert state(world, doc_id) == "approved"


def test_an_over_limit_invoice_needs_a_manager_whose_limit_covers_it(world: World) -> None:
    spec = InvoiceSpec(number="INV-88121", lines=(("MRI contrast agent", "30", "369.00", "11070.00"),))
    doc_id, (hold_id,) = invoice(world, spec=spec, holds=[OVER_LIMIT_HOLD], required_role="manager")
    with pytest.raises(NotAuthorised, match=r"(?i)needs approval by a manager"):
        decisions.approve(world.ctx, actor(world, "bob"), doc_id)
    # max is a manager with a 20,000 limit; the total is 13,173.30: within.
    decisions.approve(world.ctx, actor(world, "max"), doc_id)
    with world.db() as db:
        hold = db.get(Hold, hold_id)
    assert hold is not None and hold.status == "released" and "approved by max" in (hold.release_reason or "")


def test_nobody_approves_above_their_own_limit(world: World) -> None:
    spec = InvoiceSpec(number="INV-BIG", lines=(("Ultrasound unit", "1", "24000.00", "24000.00"),))
    doc_id, _ = invoice(world, spec=spec, required_role="manager")
    with pytest.raises(NotAuthorised, match=r"above your approval limit 20,000\.00"):
        decisions.approve(world.ctx, actor(world, "max"), doc_id)
    decisions.approve(world.ctx, actor(world, "mia"), doc_id)  # limit 50,000


def test_changed_bank_details_need_a_managers_fresh_code(world: World) -> None:
    doc_id, (hold_id,) = invoice(world, holds=[BANK_HOLD])
    reason = "called the vendor on the number in the contract"
    with pytest.raises(NotAuthorised, match=r"(?i)released by a manager"):
        decisions.release_hold(world.ctx, actor(world, "alice"), doc_id, hold_id, reason)
    with pytest.raises(NotAuthorised, match="fresh code"):
        decisions.release_hold(world.ctx, actor(world, "mia"), doc_id, hold_id, reason)
    with pytest.raises(NotAuthorised, match="wrong or was already used"):
        decisions.release_hold(world.ctx, actor(world, "mia"), doc_id, hold_id, reason, totp_code="000000")
    code = world.code("mia")
    decisions.release_hold(world.ctx, actor(world, "mia"), doc_id, hold_id, reason, totp_code=code)
    entry = audit(world, doc_id)[-1]
    assert entry.action == "release_hold" and entry.changes["fresh_totp"] is True
    # The same code cannot be used again (for the next bank-details release, say).
    other_id, (other_hold,) = invoice(world, spec=InvoiceSpec(number="INV-2"), holds=[BANK_HOLD])
    with pytest.raises(NotAuthorised, match="already used"):
        decisions.release_hold(world.ctx, actor(world, "mia"), other_id, other_hold, reason, totp_code=code)


def test_guessing_a_step_up_code_is_stopped(world: World) -> None:
    doc_id, (hold_id,) = invoice(world, holds=[BANK_HOLD])
    for guess in ("111111", "222222", "333333", "444444", "555555"):
        with pytest.raises(NotAuthorised, match="wrong"):
            decisions.release_hold(world.ctx, actor(world, "mia"), doc_id, hold_id, "verified by phone",
                                   totp_code=guess)
    with pytest.raises(NotAuthorised, match="Too many wrong"):
        decisions.release_hold(world.ctx, actor(world, "mia"), doc_id, hold_id, "verified by phone",
                               totp_code=world.code("mia"))


def test_reject_escalate_handoff_and_information_requests(world: World) -> None:
    doc_id, _ = invoice(world, holds=[PRICE_HOLD])
    with pytest.raises(InvalidInput):
        decisions.reject(world.ctx, actor(world, "alice"), doc_id, "")
    decisions.request_info(world.ctx, actor(world, "alice"), doc_id, "ask the clinic for the delivery note")
    with world.db() as db:
        task = db.execute(select(ReviewTask).where(ReviewTask.document_id == doc_id)).scalar_one()
        assert task.info_requested == "ask the clinic for the delivery note"
    decisions.info_received(world.ctx, actor(world, "alice"), doc_id, "delivery note attached")
    decisions.escalate(world.ctx, actor(world, "alice"), doc_id, "vendor disputes the price list")
    with world.db() as db:
        task = db.execute(select(ReviewTask).where(ReviewTask.document_id == doc_id)).scalar_one()
        assert (task.queue, task.required_role, task.assignee_id) == ("approvals", "manager", None)
    decisions.reject(world.ctx, actor(world, "mia"), doc_id, "duplicate of a paper invoice already paid")
    assert state(world, doc_id) == "rejected"
    actions = [e.action for e in audit(world, doc_id)]
    assert actions[-4:] == ["request_info", "info_received", "escalate", "state"]
    with pytest.raises(StateConflict):
        decisions.approve(world.ctx, actor(world, "mia"), doc_id)


def test_matching_again_sends_the_document_back_through_matching(world: World) -> None:
    doc_id, _ = invoice(world, holds=[PRICE_HOLD])
    decisions.rematch(world.ctx, actor(world, "alice"), doc_id)
    assert state(world, doc_id) == "extracted"
    assert world.queued("match") == [doc_id]


def test_a_failed_document_is_retried_from_the_stage_that_failed(world: World) -> None:
    doc_id, _ = invoice(world, spec=InvoiceSpec(number="F-1"), state=DocumentState.FAILED)
    with transaction(world.rt.sessions) as db:
        doc = db.get(Document, doc_id)
        assert doc is not None
        doc.failed_stage, doc.failure_code, doc.failure_reason = "extract", "timeout", "OCR took too long"
    assert decisions.retry_failed(world.ctx, actor(world, "alice"), doc_id) == "extract"
    assert state(world, doc_id) == "text_ready" and world.queued("extract") == [doc_id]
    with pytest.raises(StateConflict, match="nothing to retry"):
        decisions.retry_failed(world.ctx, actor(world, "alice"), doc_id)


def test_a_failed_posting_is_queued_again(world: World) -> None:
    doc_id, _ = invoice(world, spec=InvoiceSpec(number="P-1"), state=DocumentState.POSTING_FAILED)
    decisions.retry_posting(world.ctx, actor(world, "alice"), doc_id)
    assert world.queued("post") == [doc_id]
    assert audit(world, doc_id)[-1].action == "retry_posting"


def test_claiming_and_assigning(world: World) -> None:
    doc_id, _ = invoice(world)
    assignment.claim(world.ctx, actor(world, "alice"), doc_id)
    assignment.assign(world.ctx, actor(world, "mia"), doc_id, "bob")
    with world.db() as db:
        task = db.execute(select(ReviewTask).where(ReviewTask.document_id == doc_id)).scalar_one()
        assert task.assignee_id == world.users["bob"].id
    with pytest.raises(InvalidInput, match="no active clerk"):
        assignment.assign(world.ctx, actor(world, "mia"), doc_id, "otto")
    entry = audit(world, doc_id)[-1]
    assert entry.action == "assign" and entry.changes["assignee"] == {"from": "alice", "to": "bob"}


def test_a_hold_of_another_document_is_not_found(world: World) -> None:
    doc_a, _ = invoice(world, spec=InvoiceSpec(number="A-1"), holds=[PRICE_HOLD])
    _doc_b, (hold_b,) = invoice(world, spec=InvoiceSpec(number="B-1"), holds=[PRICE_HOLD])
    with pytest.raises(NotFound):
        decisions.release_hold(world.ctx, actor(world, "alice"), doc_a, hold_b, "not mine to release")
