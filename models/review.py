"""Review tasks: what the queue shows, who holds it, and by when it is due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ReviewTask(Base):
    __tablename__ = "review_tasks"
    # The queue joins open tasks to their documents by this pair.
    __table_args__ = (Index("ix_review_tasks_status_document", "status", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | done
    queue: Mapped[str] = mapped_column(String(20), default="exceptions")  # exceptions | approvals
    required_role: Mapped[str] = mapped_column(String(20), default="clerk")
    priority: Mapped[int] = mapped_column(Integer, default=50)
    reason: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    info_requested: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
