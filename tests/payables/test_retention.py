"""Retention removes content past its period and never what an open item or the audit trail needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, Intake
from ingest.storage.local import LocalStore
from models.audit import AuditEntry, verify_chain
from models.db import make_engine, make_session_factory
from models.documents import Document
from models.errors import ConfigurationError
from models.migrate import upgrade
from models.review import ReviewTask
from payables.retention import RetentionPolicy, run
from tests.payables.invoices import invoice_pdf

LATER = datetime.now(UTC) + timedelta(days=3700)


@pytest.fixture
def world(tmp_path: Path) -> tuple[sessionmaker[Session], LocalStore, dict[str, int]]:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    store = LocalStore(tmp_path / "objects")
    intake = Intake(sessions, store)
    ids = {name: intake.register(invoice_pdf(name), Envelope(source="upload")).document_id or 0
           for name in ("posted", "junk", "in-review", "recent-junk")}
    with sessions() as s, s.begin():
        for name, state, doc_type in (("posted", "posted", "invoice"), ("junk", "refused", None),
                                      ("in-review", "in_review", "invoice"), ("recent-junk", "refused", None)):
            doc = s.get(Document, ids[name])
            assert doc is not None
            doc.state, doc.doc_type = state, doc_type
        s.add(ReviewTask(document_id=ids["in-review"], status="open"))
    return sessions, store, ids


def test_a_dry_run_reports_and_removes_nothing(world: tuple[sessionmaker[Session], LocalStore, dict[str, int]]) -> None:
    sessions, store, _ = world
    report = run(sessions, store, RetentionPolicy(), dry_run=True, now=LATER)
    assert report.due == {"posted_invoice": 1, "non_invoice": 2}
    assert report.kept == {"not final": 1}
    with sessions() as s:
        assert all(d.purged_at is None for d in s.scalars(select(Document)))


def test_content_goes_the_row_and_the_audit_trail_stay(
        world: tuple[sessionmaker[Session], LocalStore, dict[str, int]]) -> None:
    sessions, store, ids = world
    soon = datetime.now(UTC) + timedelta(days=100)  # past 90 days, well inside 10 years
    report = run(sessions, store, RetentionPolicy(), dry_run=False, now=soon)
    assert report.purged == 2
    with sessions() as s:
        junk = s.get(Document, ids["junk"])
        posted = s.get(Document, ids["posted"])
        review = s.get(Document, ids["in-review"])
        assert junk is not None and posted is not None and review is not None
        assert junk.purged_at is not None and not store.exists(junk.object_key or "")
        assert posted.purged_at is None and store.exists(posted.object_key or "")
        assert review.purged_at is None
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert sum(1 for e in entries if e.action == "purged") == 2
        assert verify_chain(entries).ok


def test_a_policy_file_with_an_unknown_class_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "retention.toml"
    policy.write_text("[retention]\ninvoices_forever = 99999\n")
    with pytest.raises(ConfigurationError, match="unknown class 'invoices_forever'"):
        RetentionPolicy.load(policy)
