"""Decisions on a document in review: release a hold, approve, reject, escalate, hand off, ask for
information, re-run matching. Each one is checked against the duty rules, recorded in the audit log,
and committed before the pipeline hears of it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models.audit import AuditEntry, append_audit
from models.db import transaction
from models.errors import NotAuthorised, StateConflict
from models.lifecycle import move_document
from models.matching import Hold
from models.review import ReviewTask
from models.roles import Role
from models.states import DocumentState
from models.users import User
from review_ui.auth.signin import consume_code
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.duties import APPROVAL_HOLDS, approval_barriers, release_barriers
from review_ui.services.errors import NotFound
from review_ui.services.facts import invoice_facts, lock_document, open_holds, open_task, person
from review_ui.services.preconditions import (
    close_tasks,
    require_actor,
    require_in_review,
    require_reason,
    take_if_unassigned,
)

STEP_UP_TRIES = 5
STEP_UP_WINDOW = timedelta(minutes=10)


def step_up(ctx: AppContext, actor: Actor, code: str) -> bool:
    """A fresh second-factor code, checked in its own transaction so a wrong one is recorded (and counted
    against guessing) even though the action it was meant for does not happen."""
    now = ctx.clock()
    with transaction(ctx.sessions) as db:
        recent = db.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.user_id == actor.user_id, AuditEntry.action == "totp_failed",
            AuditEntry.at > now - STEP_UP_WINDOW)).scalar() or 0
        if recent >= STEP_UP_TRIES:
            raise NotAuthorised("Too many wrong authenticator codes; wait ten minutes and try again.")
        user = db.get(User, actor.user_id)
        if user is not None and consume_code(user, ctx.secret, code):
            return True
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="totp_failed")
    return False


def release_hold(ctx: AppContext, actor: Actor, document_id: int, hold_id: int, reason: str | None,
                 totp_code: str | None = None) -> None:
    why = require_reason(reason, "release this hold")
    fresh = False
    if totp_code and totp_code.strip():
        fresh = step_up(ctx, actor, totp_code)
        if not fresh:
            raise NotAuthorised("That authenticator code is wrong or was already used; wait for the next one.")
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        hold = db.get(Hold, hold_id)
        if hold is None or hold.document_id != document_id:
            raise NotFound(f"document {document_id} has no hold {hold_id}")
        if hold.status != "open" or hold not in open_holds(db, document_id):
            raise StateConflict(f"the {hold.code} hold is already {hold.status}")
        barriers = release_barriers(person(actor), hold.code, hold.release_role, invoice_facts(db, doc),
                                    fresh_totp=fresh)
        if barriers:
            _raise(barriers)
        now = ctx.clock()
        hold.status, hold.released_by, hold.released_at, hold.release_reason = "released", actor.user_id, now, why
        take_if_unassigned(open_task(db, document_id), actor)
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id, action="release_hold",
                     reason=why, changes={"hold": hold.code, "line": hold.line_ref, "measured": hold.measured,
                                          "limit": hold.limit, "fresh_totp": fresh})


def approve(ctx: AppContext, actor: Actor, document_id: int, note: str | None = None) -> None:
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        facts = invoice_facts(db, doc)
        barriers = approval_barriers(person(actor), facts)
        if barriers:
            _raise(barriers)
        now = ctx.clock()
        limit = actor.approval_limit
        for hold in open_holds(db, document_id):
            if hold.code in APPROVAL_HOLDS:
                hold.status, hold.released_by, hold.released_at = "released", actor.user_id, now
                hold.release_reason = f"approved by {actor.username} within a limit of {limit}"
        close_tasks(db, doc.id, now)
        move_document(db, doc, DocumentState.APPROVED, actor=actor.name, user_id=actor.user_id,
                      reason=(note or "").strip()[:2000] or None,
                      changes={"decision": "approve", "total": str(doc.total_amount), "currency": doc.currency,
                               "approval_limit": str(limit), "role": actor.role.value})
    ctx.enqueue("post", document_id)


def reject(ctx: AppContext, actor: Actor, document_id: int, reason: str | None) -> None:
    why = require_reason(reason, "reject this document")
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        close_tasks(db, doc.id, ctx.clock())
        move_document(db, doc, DocumentState.REJECTED, actor=actor.name, user_id=actor.user_id, reason=why,
                      changes={"decision": "reject"})


def escalate(ctx: AppContext, actor: Actor, document_id: int, reason: str | None) -> None:
    """To the managers' approvals inbox: beyond this clerk's authority, or a judgement call."""
    why = require_reason(reason, "escalate")
    _route(ctx, actor, document_id, why, action="escalate", required=Role.MANAGER)


def handoff(ctx: AppContext, actor: Actor, document_id: int, reason: str | None) -> None:
    """Done with it, but someone else must approve (the user corrected it or released a hold)."""
    why = (reason or "").strip() or "ready for approval by someone else"
    _route(ctx, actor, document_id, why, action="handoff", required=None)


def _route(ctx: AppContext, actor: Actor, document_id: int, why: str, *, action: str,
           required: Role | None) -> None:
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        task = open_task(db, document_id)
        if task is None:
            task = ReviewTask(document_id=document_id, status="open", required_role=Role.CLERK.value)
            db.add(task)
        before = {"queue": task.queue, "required_role": task.required_role, "assignee_id": task.assignee_id}
        task.queue = "approvals"
        if required is not None:
            task.required_role = required.value
        task.assignee_id = None
        task.reason = why
        db.flush()
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id, action=action,
                     reason=why, changes={"from": before, "to": {"queue": task.queue,
                                                                 "required_role": task.required_role}})


def request_info(ctx: AppContext, actor: Actor, document_id: int, note: str | None) -> None:
    text = require_reason(note, "need information")
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        task = open_task(db, document_id)
        if task is None:
            raise StateConflict(f"document {document_id} has no open review task")
        take_if_unassigned(task, actor)
        task.info_requested = text
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id,
                     action="request_info", reason=text)


def info_received(ctx: AppContext, actor: Actor, document_id: int, note: str | None) -> None:
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        lock_document(db, document_id)
        task = open_task(db, document_id)
        if task is None or not task.info_requested:
            raise StateConflict("no information was requested on this document")
        asked, task.info_requested = task.info_requested, None
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id,
                     action="info_received", reason=(note or "").strip()[:2000] or None,
                     changes={"requested": asked})


def rematch(ctx: AppContext, actor: Actor, document_id: int) -> None:
    """Match again (after a correction, or once the receipt is booked in the ERP)."""
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        take_if_unassigned(open_task(db, document_id), actor)
        move_document(db, doc, DocumentState.EXTRACTED, actor=actor.name, user_id=actor.user_id,
                      reason="matching requested again")
    ctx.enqueue("match", document_id)


def retry_failed(ctx: AppContext, actor: Actor, document_id: int) -> str:
    require_actor(actor)
    stage = ctx.retry(document_id, actor.name)
    if stage is None:
        raise StateConflict(f"document {document_id} has not failed; there is nothing to retry")
    return stage


def retry_posting(ctx: AppContext, actor: Actor, document_id: int) -> None:
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        if doc.state not in (DocumentState.POSTING_FAILED.value, DocumentState.APPROVED.value):
            raise StateConflict(f"document {document_id} is {doc.state.replace('_', ' ')}; only an approved "
                                "invoice whose posting failed can be posted again")
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id, action="retry_posting",
                     reason=doc.failure_reason)
    ctx.enqueue("post", document_id)




def _raise(barriers: list[str]) -> None:
    message = "; ".join(barriers)
    if any(b.startswith("the document is ") for b in barriers):
        raise StateConflict(message[0].upper() + message[1:] + ".")
    raise NotAuthorised(message[0].upper() + message[1:] + ".")
