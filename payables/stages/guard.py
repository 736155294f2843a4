"""Claiming a document for a stage's result: the state check that makes every stage idempotent.

The expensive work (OCR, matching) runs outside any transaction; its result is committed only if the
document is still in a state the stage works on, checked again under a row lock. A second delivery of
the same message, or a race with another worker, finds the state moved on and changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.documents import Document
from models.states import DocumentState


def load(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


def lock(session: Session, document_id: int, states: Collection[DocumentState]) -> Document | None:
    """The document, row-locked, if it is in one of ``states``; None when it has moved on."""
    stmt = select(Document).where(Document.id == document_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    doc = session.execute(stmt).scalar_one_or_none()
    if doc is None or DocumentState(doc.state) not in states:
        return None
    return doc
