"""Documents move only along the lifecycle, and every move is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.db import make_engine
from models.documents import Document
from models.errors import StateConflict
from models.lifecycle import fail_document, move_document
from models.migrate import upgrade
from models.states import DocumentState, can_move


@pytest.fixture
def session(tmp_path: Path) -> Session:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    upgrade(url)
    return Session(make_engine(url))


def _doc(s: Session, state: DocumentState) -> Document:
    doc = Document(sha256="a" * 64, size=1, media_type="application/pdf", source="upload", state=state.value)
    s.add(doc)
    s.flush()
    return doc


def test_a_posted_bill_cannot_be_approved_again(session: Session) -> None:
    doc = _doc(session, DocumentState.POSTED)
    with pytest.raises(StateConflict, match="posted; it cannot become approved"):
        move_document(session, doc, DocumentState.APPROVED, actor="user:alice")


def test_moves_are_written_to_the_audit_log(session: Session) -> None:
    doc = _doc(session, DocumentState.IN_REVIEW)
    move_document(session, doc, DocumentState.APPROVED, actor="user:bob", reason="checked with PO")
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.from_state, entry.to_state, entry.actor, entry.reason) == (
        "in_review", "approved", "user:bob", "checked with PO")


def test_failure_is_reachable_from_every_state_and_records_the_stage(session: Session) -> None:
    assert all(can_move(state, DocumentState.FAILED) for state in DocumentState)
    doc = _doc(session, DocumentState.TEXT_READY)
    fail_document(session, doc, stage="extract", code="timeout", reason="took too long", actor="system:extract")
    assert (doc.state, doc.failed_stage, doc.failure_code) == ("failed", "extract", "timeout")
