"""The audit trail as people read it: a document's history with from/to values, the whole log for
auditors, and its CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from models.audit import AuditEntry
from models.base import utcnow
from models.documents import Document
from review_ui.sites import EVERY_SITE, SiteScope

CSV_COLUMNS = ("id", "at", "actor", "user_id", "document_id", "action", "from_state", "to_state", "reason",
               "changes", "prev_hash", "hash")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PER_PAGE = 100


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    id: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    changes: list[Change]
    details: list[tuple[str, str]]
    document_id: int | None


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _flatten(changes: dict[str, Any]) -> tuple[list[Change], list[tuple[str, str]]]:
    """Split an entry's changes into from→to pairs and plain details."""
    pairs: list[Change] = []
    details: list[tuple[str, str]] = []
    fields = changes.get("fields")
    if isinstance(fields, dict):
        for name, diff in fields.items():
            if isinstance(diff, dict) and ("from" in diff or "to" in diff):
                pairs.append(Change(str(name), _text(diff.get("from")), _text(diff.get("to"))))
    for key, value in changes.items():
        if key == "fields" and isinstance(fields, dict):
            continue
        if isinstance(value, dict) and ("from" in value or "to" in value) and set(value) <= {"from", "to"}:
            pairs.append(Change(key, _text(value.get("from")), _text(value.get("to"))))
        else:
            details.append((key, _text(value)))
    return pairs, details


def row(entry: AuditEntry) -> HistoryRow:
    pairs, details = _flatten(entry.changes or {})
    return HistoryRow(entry.id, entry.at, entry.actor, entry.action, entry.from_state, entry.to_state,
                      entry.reason, pairs, details, entry.document_id)


def document_history(db: Session, document_id: int) -> list[HistoryRow]:
    entries = db.execute(select(AuditEntry).where(AuditEntry.document_id == document_id)
                         .order_by(AuditEntry.id.asc())).scalars()
    return [row(e) for e in entries]


@dataclass(frozen=True)
class AuditQuery:
    start: date | None = None
    end: date | None = None  # inclusive
    document_id: int | None = None
    actor: str | None = None
    action: str | None = None
    # Whose log this is. An auditor is group-wide (``sites=[]``) and reads every entry; one restricted
    # to sites reads the entries of those sites' documents only: account changes, sign-ins and exports
    # concern no site and so belong to the group-wide auditors. (The command line is the operator's:
    # group-wide.)
    scope: SiteScope = EVERY_SITE

    def statement(self) -> Select[AuditEntry]:
        stmt = select(AuditEntry)
        if not self.scope.everywhere:
            stmt = stmt.where(AuditEntry.document_id.in_(select(Document.id).where(self.scope.documents())))
        if self.start:
            stmt = stmt.where(AuditEntry.at >= datetime.combine(self.start, time.min, tzinfo=utcnow().tzinfo))
        if self.end:
            stmt = stmt.where(AuditEntry.at < datetime.combine(self.end + timedelta(days=1), time.min,
                                                               tzinfo=utcnow().tzinfo))
        if self.document_id is not None:
            stmt = stmt.where(AuditEntry.document_id == self.document_id)
        if self.actor:
            stmt = stmt.where(AuditEntry.actor == self.actor)
        if self.action:
            stmt = stmt.where(AuditEntry.action == self.action)
        return stmt


def audit_page(db: Session, query: AuditQuery, page: int) -> tuple[list[HistoryRow], bool]:
    """A page of the log, newest first; the flag says whether an older page exists."""
    entries = list(db.execute(query.statement().order_by(AuditEntry.id.desc())
                              .limit(PER_PAGE + 1).offset((max(page, 1) - 1) * PER_PAGE)).scalars())
    return [row(e) for e in entries[:PER_PAGE]], len(entries) > PER_PAGE


def _cell(value: Any) -> str:
    text = "" if value is None else (value.isoformat() if isinstance(value, datetime) else str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_csv(sessions: sessionmaker[Session], query: AuditQuery, batch: int = 2000) -> Iterator[str]:
    """The log in chain order (so a reader can re-check the hashes), streamed in batches; every value
    kept exactly except that a leading formula character is quoted for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    last_id = 0
    while True:
        with sessions() as db:
            entries = list(db.execute(query.statement().where(AuditEntry.id > last_id)
                                      .order_by(AuditEntry.id.asc()).limit(batch)).scalars())
        if not entries:
            return
        buffer.seek(0)
        buffer.truncate()
        for e in entries:
            writer.writerow([_cell(v) for v in (
                e.id, e.at.isoformat(timespec="microseconds"), e.actor, e.user_id, e.document_id, e.action,
                e.from_state, e.to_state, e.reason,
                json.dumps(e.changes or {}, sort_keys=True, ensure_ascii=False, default=str),
                e.prev_hash, e.hash)])
        yield buffer.getvalue()
        last_id = entries[-1].id
