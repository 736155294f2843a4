"""What every action on a document checks or does first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.documents import Document
from models.errors import NotAuthorised, StateConflict
from models.review import ReviewTask
from models.roles import Role
from models.states import DocumentState
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput

MIN_REASON = 5


def require_reason(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise InvalidInput(f"Say why you {what} (a few words at least).", {"reason": "required"})
    return text[:2000]


def require_in_review(doc: Document) -> None:
    if doc.state != DocumentState.IN_REVIEW.value:
        raise StateConflict(f"document {doc.id} is {doc.state.replace('_', ' ')}; it is not waiting for review")


def require_actor(actor: Actor) -> None:
    if actor.role is Role.AUDITOR:
        raise NotAuthorised("auditors read; they do not act on documents")


def take_if_unassigned(task: ReviewTask | None, actor: Actor) -> None:
    """Acting on an unassigned item makes it yours, so two people do not work on it at once."""
    if task is not None and task.assignee_id is None:
        task.assignee_id = actor.user_id


def close_tasks(db: Session, document_id: int, now: datetime) -> None:
    for task in db.execute(select(ReviewTask).where(ReviewTask.document_id == document_id,
                                                    ReviewTask.status == "open")).scalars():
        task.status = "done"
        task.closed_at = now
