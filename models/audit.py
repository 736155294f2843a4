"""The append-only, hash-chained audit log: who or what did what to which document, when, and why.

Each entry's hash covers its content and the previous entry's hash, so changing or removing any entry
breaks every hash after it; ``verify_chain`` finds the first break. Appends are serialised (an advisory
lock on PostgreSQL; SQLite serialises writers itself) so concurrent workers cannot fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow

GENESIS = "0" * 64
_AUDIT_LOCK_KEY = 0x70617961  # "paya": one advisory lock for the whole chain


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))  # "user:alice" or "system:extract"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "user_id": entry.user_id,
        "document_id": entry.document_id,
        "action": entry.action,
        "from": entry.from_state,
        "to": entry.to_state,
        "changes": entry.changes or {},
        "reason": entry.reason,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(entry)).hexdigest()


def append_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    document_id: int | None = None,
    user_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction; it becomes visible when the caller commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    entry = AuditEntry(
        at=utcnow(), actor=actor, user_id=user_id, document_id=document_id, action=action,
        from_state=from_state, to_state=to_state, changes=changes or {}, reason=reason,
        prev_hash=last or GENESIS,
    )
    entry.hash = entry_hash(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    first_bad_id: int | None = None
    problem: str | None = None


def verify_chain(entries: Iterable[AuditEntry]) -> ChainReport:
    prev = GENESIS
    count = 0
    for entry in entries:
        count += 1
        if entry.prev_hash != prev:
            return ChainReport(count, False, entry.id, "entry does not follow the one before it")
        if entry_hash(prev, entry) != entry.hash:
            return ChainReport(count, False, entry.id, "entry content does not match its hash")
        prev = entry.hash
    return ChainReport(count, True)
