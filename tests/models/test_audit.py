"""The audit log is a hash chain: any edit or removal is found by verification."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEntry, append_audit, verify_chain
from models.db import make_engine
from models.migrate import upgrade


def _session(tmp_path: Path) -> Session:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    upgrade(url)
    return Session(make_engine(url))


def test_an_untouched_chain_verifies(tmp_path: Path) -> None:
    s = _session(tmp_path)
    for i in range(5):
        append_audit(s, actor="user:alice", action="correct", document_id=1, changes={"total": [str(i), str(i + 1)]})
    s.commit()
    report = verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert report.ok and report.entries == 5


def test_an_edited_entry_breaks_the_chain_at_that_entry(tmp_path: Path) -> None:
    s = _session(tmp_path)
    for i in range(4):
        append_audit(s, actor="user:alice", action="approve", document_id=i)
    s.commit()
    victim = s.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(2)).first()
    assert victim is not None
    victim.actor = "user:mallory"
    s.commit()
    report = verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert not report.ok and report.first_bad_id == victim.id


def test_a_removed_entry_breaks_the_chain(tmp_path: Path) -> None:
    s = _session(tmp_path)
    for i in range(4):
        append_audit(s, actor="system:match", action="state", document_id=i)
    s.commit()
    s.delete(s.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(1).limit(1)).one())
    s.commit()
    assert not verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id))).ok
