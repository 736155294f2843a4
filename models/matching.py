"""Match results and the holds they raise."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow


class MatchResult(Base):
    """One run of matching over one extraction version; re-evaluation adds a new run."""

    __tablename__ = "match_results"
    __table_args__ = (UniqueConstraint("document_id", "run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    run: Mapped[int] = mapped_column(Integer)
    extraction_version: Mapped[int] = mapped_column(Integer)
    vendor_id: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))  # auto_approve | review
    required_role: Mapped[str | None] = mapped_column(String(20))
    # Vendor evidence, selected POs, line assignments with variances: the three-way view.
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Hold(Base):
    __tablename__ = "holds"
    # The review queue's counts by hold code over open items read only this index.
    __table_args__ = (Index("ix_holds_status_code_document", "status", "code", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    match_result_id: Mapped[int] = mapped_column(ForeignKey("match_results.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    line_ref: Mapped[str | None] = mapped_column(String(60))
    measured: Mapped[str | None] = mapped_column(String(60))
    limit: Mapped[str | None] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    release_role: Mapped[str] = mapped_column(String(20))
    # open | released (by a person) | cleared (a later match no longer raised it)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
