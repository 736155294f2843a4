"""A backup restores into an empty system with every document, extraction, decision and audit entry."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.intake import Envelope, Intake
from ingest.storage.local import LocalStore
from models.audit import AuditEntry, append_audit, verify_chain
from models.db import make_engine, make_session_factory
from models.documents import Document
from models.errors import StateConflict
from models.extractions import Extraction
from models.matching import Hold, MatchResult
from models.migrate import upgrade
from models.schema import metadata
from payables.backup import BackupError, backup, restore
from tests.payables.invoices import invoice_pdf


def _populated(url: str, store: LocalStore) -> None:
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    intake = Intake(sessions, store)
    ids = [intake.register(invoice_pdf(f"INV-B-{i}"), Envelope(source="upload")).document_id for i in range(3)]
    with sessions() as s, s.begin():
        for doc_id in ids:
            s.add(Extraction(document_id=doc_id, version=1, kind="machine", engine="test",
                             data={"total_amount": {"value": "1190.00", "confidence": 0.97}}))
            result = MatchResult(document_id=doc_id, run=1, extraction_version=1, decision="review",
                                 detail={"vendor": {"id": 7}})
            s.add(result)
            s.flush()
            s.add(Hold(document_id=doc_id, match_result_id=result.id, code="PRICE_VARIANCE",
                       message="billed 4.10 each; ordered at 4.00; 2.5% over, tolerance 2%", release_role="clerk"))
            doc = s.get(Document, doc_id)
            assert doc is not None
            doc.total_amount = Decimal("1190.00")
            append_audit(s, actor="user:alice", action="correct", document_id=doc_id,
                         changes={"invoice_number": ["INV-B", f"INV-B-{doc_id}"]})


def _rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in metadata.sorted_tables}


@pytest.mark.servers
def test_a_sqlite_backup_restores_into_an_empty_postgresql(tmp_path: Path, postgres_url: str) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    store = LocalStore(tmp_path / "objects")
    _populated(source, store)
    archive = tmp_path / "backup.tar.gz"
    report = backup(make_engine(source), store, archive)
    assert report.tables["documents"] == 3 and report.objects == 3

    upgrade(postgres_url)
    restored = restore(make_engine(postgres_url), store, archive, postgres_url)
    assert restored.missing_objects == []
    assert _rows(postgres_url) == _rows(source)
    with Session(make_engine(postgres_url)) as s:
        assert verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id))).ok
        assert s.scalar(select(func.count(Hold.id))) == 3
        # New rows after a restore get fresh ids: the sequences were moved past the restored ones.
        append_audit(s, actor="user:bob", action="approve", document_id=1)
        s.commit()
        assert verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id))).ok


def test_restore_refuses_a_system_that_has_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = LocalStore(tmp_path / "objects")
    _populated(url, store)
    archive = tmp_path / "b.tar.gz"
    backup(make_engine(url), store, archive)
    with pytest.raises(StateConflict, match="not empty"):
        restore(make_engine(url), store, archive, url)


def test_restore_reports_objects_the_store_lost_and_rejects_damaged_archives(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = LocalStore(tmp_path / "objects")
    _populated(url, store)
    archive = tmp_path / "b.tar.gz"
    backup(make_engine(url), store, archive)
    target = f"sqlite:///{tmp_path / 'b.db'}"
    upgrade(target)
    report = restore(make_engine(target), LocalStore(tmp_path / "empty-store"), archive, target)
    assert len(report.missing_objects) == 3

    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[:200])
    other = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade(other)
    with pytest.raises(BackupError):
        restore(make_engine(other), store, damaged, other)


def test_objects_travel_in_the_archive_when_asked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = LocalStore(tmp_path / "objects")
    _populated(url, store)
    archive = tmp_path / "b.tar.gz"
    backup(make_engine(url), store, archive, with_objects=True)
    target = f"sqlite:///{tmp_path / 'b.db'}"
    upgrade(target)
    fresh = LocalStore(tmp_path / "fresh")
    report = restore(make_engine(target), fresh, archive, target)
    assert report.missing_objects == [] and len(list(fresh.keys("sha256/"))) == 3
