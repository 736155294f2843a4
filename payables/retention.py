"""Retention: remove documents' content once the policy's period has passed, never what is still needed.

Each document falls in one class; each class has a period in days (the defaults below, overridable by a
TOML file, ``PAYABLES_RETENTION_FILE``). Past its period a document's bytes, rendered pages, page words
and extracted values are removed, and the row stays as a tombstone with ``purged_at``, so the audit trail
(which is never deleted) still points at something. A document is kept regardless while it has an open
review task or an open hold, is not in a final state, or belongs to a container that must be kept.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.storage import ObjectStore
from models.audit import append_audit
from models.documents import Document, Page
from models.errors import ConfigurationError
from models.extractions import Extraction
from models.matching import Hold
from models.review import ReviewTask
from models.states import TERMINAL, DocumentState

# Invoices are accounting records (10 years covers the German HGB/AO and most EU rules); documents that
# were never invoices are kept only long enough for a sender to complain.
DEFAULT_DAYS: dict[str, int] = {
    "posted_invoice": 3650,
    "rejected_invoice": 3650,
    "container": 3650,
    "non_invoice": 90,
}
INVOICE_TYPES = {"invoice", "credit_note"}


@dataclass
class RetentionPolicy:
    days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DAYS))

    @classmethod
    def load(cls, path: Path | None) -> RetentionPolicy:
        if path is None:
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"retention policy {path}: {exc}") from exc
        days = dict(DEFAULT_DAYS)
        for name, value in (data.get("retention") or {}).items():
            if name not in DEFAULT_DAYS:
                raise ConfigurationError(f"retention policy {path}: unknown class {name!r}; "
                                         f"known: {', '.join(DEFAULT_DAYS)}")
            if not isinstance(value, int) or value < 1:
                raise ConfigurationError(f"retention policy {path}: {name} must be a whole number of days ≥ 1")
            days[name] = value
        return cls(days)


def classify(doc: Document) -> str:
    if doc.state in (DocumentState.SPLIT.value, DocumentState.MERGED.value):
        return "container"
    is_invoice = (doc.doc_type or "invoice") in INVOICE_TYPES and doc.state != DocumentState.REFUSED.value
    if doc.state == DocumentState.POSTED.value:
        return "posted_invoice"
    if is_invoice:
        return "rejected_invoice"
    return "non_invoice"


@dataclass
class RetentionReport:
    due: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    purged: int = 0
    bytes: int = 0
    document_ids: list[int] = field(default_factory=list)


def plan(session: Session, policy: RetentionPolicy, now: datetime | None = None) -> RetentionReport:
    now = now or datetime.now(UTC)
    report = RetentionReport()
    terminal = {s.value for s in TERMINAL}
    open_task = set(session.scalars(select(ReviewTask.document_id).where(ReviewTask.status != "done")))
    open_hold = set(session.scalars(select(Hold.document_id).where(Hold.status == "open")))
    docs = session.scalars(select(Document).where(Document.purged_at.is_(None))).all()
    by_parent: dict[int, list[Document]] = {}
    for d in docs:
        if d.parent_id is not None:
            by_parent.setdefault(d.parent_id, []).append(d)
    for doc in docs:
        cls = classify(doc)
        if doc.updated_at + timedelta(days=policy.days[cls]) > now:
            continue
        reason = None
        if doc.state not in terminal:
            reason = "not final"
        elif doc.id in open_task:
            reason = "open review task"
        elif doc.id in open_hold:
            reason = "open hold"
        elif any(c.purged_at is None and c.updated_at + timedelta(days=policy.days[classify(c)]) > now
                 for c in by_parent.get(doc.id, [])):
            reason = "a document inside it is still kept"
        if reason:
            report.kept[reason] += 1
            continue
        report.due[cls] += 1
        report.bytes += doc.size
        report.document_ids.append(doc.id)
    return report


def run(sessions: sessionmaker[Session], store: ObjectStore, policy: RetentionPolicy, *, dry_run: bool,
        now: datetime | None = None) -> RetentionReport:
    with sessions() as s:
        report = plan(s, policy, now)
    if dry_run:
        return report
    for doc_id in report.document_ids:
        _purge(sessions, store, doc_id, policy)
        report.purged += 1
    return report


def _purge(sessions: sessionmaker[Session], store: ObjectStore, doc_id: int, policy: RetentionPolicy) -> None:
    with sessions() as s:
        doc = s.get(Document, doc_id)
        if doc is None or doc.purged_at is not None:
            return
        key, sha, cls = doc.object_key, doc.sha256, classify(doc)
    # Bytes first: a crash after this leaves a row that the next run purges again (deletes are idempotent).
    if key:
        store.delete(key)
    for derived in list(store.keys(f"derived/pages/{sha[:2]}/{sha}/")):
        store.delete(derived)
    with sessions() as s, s.begin():
        doc = s.get(Document, doc_id)
        assert doc is not None
        s.execute(delete(Page).where(Page.document_id == doc_id))
        s.execute(update(Extraction).where(Extraction.document_id == doc_id).values(data={"purged": True}))
        doc.purged_at = datetime.now(UTC)
        doc.envelope = {"purged": True}
        append_audit(s, actor="system:retention", action="purged", document_id=doc_id,
                     reason=f"retention class {cls}: {policy.days[cls]} days passed",
                     changes={"object_key": key, "class": cls})
