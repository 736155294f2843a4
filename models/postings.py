"""Postings to the ERP: one per document, keyed before the call so a retry never bills twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class Posting(Base):
    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    # Deterministic per document; written to the bill's narration so it can be found after a crash.
    posting_key: Mapped[str] = mapped_column(String(80), unique=True)
    # pending | creating | created | posted | failed
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    odoo_move_id: Mapped[int | None] = mapped_column(Integer)
    odoo_move_name: Mapped[str | None] = mapped_column(String(80))
    odoo_attachment_id: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a create call was last sent without an answer coming back: until Odoo's own request time
    # limit has passed, that call may still commit, so no second create is sent before then.
    create_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
