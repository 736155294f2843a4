"""Moving a document between states, each move checked against the lifecycle and written to the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.audit import append_audit
from models.documents import Document
from models.errors import StateConflict
from models.states import DocumentState, can_move


def move_document(
    session: Session,
    doc: Document,
    target: DocumentState,
    *,
    actor: str,
    reason: str | None = None,
    user_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    current = DocumentState(doc.state)
    if not can_move(current, target):
        raise StateConflict(f"document {doc.id} is {current.value}; it cannot become {target.value}")
    doc.state = target.value
    if target is not DocumentState.FAILED:
        doc.failed_stage = doc.failure_code = doc.failure_reason = None
    append_audit(session, actor=actor, action="state", document_id=doc.id, user_id=user_id,
                 from_state=current.value, to_state=target.value, changes=changes, reason=reason)


def fail_document(session: Session, doc: Document, *, stage: str, code: str, reason: str, actor: str) -> None:
    """Record a final failure against the document: visible in the queue, retryable from there."""
    current = doc.state
    doc.state = DocumentState.FAILED.value
    doc.failed_stage, doc.failure_code, doc.failure_reason = stage, code, reason
    append_audit(session, actor=actor, action="failed", document_id=doc.id, from_state=current,
                 to_state=DocumentState.FAILED.value, changes={"stage": stage, "code": code}, reason=reason)
