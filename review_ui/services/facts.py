"""The facts of one document that the duty rules and the invoice screen read from the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.documents import Document
from models.extractions import Extraction
from models.matching import Hold, MatchResult
from models.review import ReviewTask
from models.roles import Role
from review_ui.deps import Actor
from review_ui.services.duties import InvoiceFacts, OpenHold, Person
from review_ui.services.errors import NotFound


def person(actor: Actor) -> Person:
    return Person(actor.user_id, actor.role, actor.approval_limit)


def lock_document(db: Session, document_id: int) -> Document:
    """The document row, locked for the rest of the transaction on PostgreSQL (two clerks clicking
    approve at once: the second waits, then sees the first one's result)."""
    doc = db.execute(select(Document).where(Document.id == document_id).with_for_update()).scalar()
    if doc is None:
        raise NotFound(f"document {document_id} does not exist")
    return doc


def lock_visible(db: Session, document_id: int, actor: Actor) -> Document:
    """As ``lock_document``, for a document named in a request body rather than the path (the guard
    checked the path's): one outside the actor's sites is not found, in the same words as one that
    does not exist."""
    doc = lock_document(db, document_id)
    if not actor.scope.allows(doc.site):
        raise NotFound(f"document {document_id} does not exist")
    return doc


def latest_match(db: Session, document_id: int) -> MatchResult | None:
    return db.execute(select(MatchResult).where(MatchResult.document_id == document_id)
                      .order_by(MatchResult.run.desc()).limit(1)).scalar()


def open_holds(db: Session, document_id: int) -> list[Hold]:
    match = latest_match(db, document_id)
    if match is None:
        return []
    return list(db.execute(select(Hold).where(Hold.match_result_id == match.id, Hold.status == "open")
                           .order_by(Hold.id)).scalars())


def open_task(db: Session, document_id: int) -> ReviewTask | None:
    return db.execute(select(ReviewTask).where(ReviewTask.document_id == document_id,
                                               ReviewTask.status == "open")
                      .order_by(ReviewTask.id.desc()).limit(1)).scalar()


def latest_extraction(db: Session, document_id: int) -> Extraction | None:
    return db.execute(select(Extraction).where(Extraction.document_id == document_id)
                      .order_by(Extraction.version.desc()).limit(1)).scalar()


def invoice_facts(db: Session, doc: Document) -> InvoiceFacts:
    holds = open_holds(db, doc.id)
    correctors = frozenset(u for u in db.execute(
        select(Extraction.created_by).where(Extraction.document_id == doc.id, Extraction.kind == "correction",
                                            Extraction.created_by.is_not(None))).scalars() if u is not None)
    releasers = frozenset(u for u in db.execute(
        select(Hold.released_by).where(Hold.document_id == doc.id, Hold.released_by.is_not(None))).scalars()
        if u is not None)
    corrected: dict[str, set[int]] = {}
    for user_id, changes in db.execute(select(AuditEntry.user_id, AuditEntry.changes).where(
            AuditEntry.document_id == doc.id, AuditEntry.action == "correction")):
        for name in _changed_names(changes):
            if user_id is not None:
                corrected.setdefault(name, set()).add(user_id)
    task = open_task(db, doc.id)
    match = latest_match(db, doc.id)
    required = Role.CLERK
    for role in (task.required_role if task else None, match.required_role if match else None):
        if role and role in Role.__members__.values() and _rank(Role(role)) > _rank(required):
            required = Role(role)
    uploaded = (doc.envelope or {}).get("uploaded_by")
    return InvoiceFacts(
        state=doc.state, total=doc.total_amount, currency=doc.currency,
        open_holds=tuple(OpenHold(h.code, h.release_role) for h in holds),
        correctors=correctors, releasers=releasers,
        uploaded_by=int(uploaded) if isinstance(uploaded, int | str) and str(uploaded).isdigit() else None,
        required_role=required,
        corrected_fields={k: frozenset(v) for k, v in corrected.items()},
    )


def _changed_names(changes: dict[str, Any] | None) -> list[str]:
    fields = (changes or {}).get("fields") or {}
    return [str(k) for k in fields] if isinstance(fields, dict) else []


def _rank(role: Role) -> int:
    return {Role.AUDITOR: -1, Role.CLERK: 0, Role.MANAGER: 1, Role.ADMIN: 2}[role]
