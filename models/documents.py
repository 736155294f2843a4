"""Documents as received: the original bytes' identity, every submission of them, and their pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, JSONType, Money, UTCDateTime, utcnow
from models.states import DocumentState


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    # Where the bytes live in the object store; null only for a refusal too large to keep.
    object_key: Mapped[str | None] = mapped_column(String(200))
    filename: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(30))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    state: Mapped[str] = mapped_column(String(30), default=DocumentState.RECEIVED.value, index=True)
    failed_stage: Mapped[str | None] = mapped_column(String(30))
    failure_code: Mapped[str | None] = mapped_column(String(60))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A scanner batch is kept whole; the invoices found in it are children with their page range.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    page_from: Mapped[int | None] = mapped_column(Integer)
    page_to: Mapped[int | None] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    # Denormalised from the current extraction and match, for the queue's filters and sorting.
    doc_type: Mapped[str | None] = mapped_column(String(20))
    company_id: Mapped[int | None] = mapped_column(Integer, index=True)
    site: Mapped[str | None] = mapped_column(String(60), index=True)
    vendor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    vendor_name: Mapped[str | None] = mapped_column(String(255))
    invoice_number: Mapped[str | None] = mapped_column(String(100), index=True)
    invoice_date: Mapped[str | None] = mapped_column(String(10))
    currency: Mapped[str | None] = mapped_column(String(3))
    total_amount: Mapped[Decimal | None] = mapped_column(Money)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when the retention policy removed the bytes and content; the row stays for the audit trail.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    submissions: Mapped[list[Submission]] = relationship(back_populates="document")
    pages: Mapped[list[Page]] = relationship(back_populates="document", order_by="Page.number")


class Submission(Base):
    """Every time bytes arrive, whatever became of them: stored, a duplicate of a stored one, or refused."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(30))
    # The mail message-id, folder path or upload id that identifies this submission at its source,
    # so a source retrying after a crash is recognised.
    source_ref: Mapped[str | None] = mapped_column(String(500), index=True)
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    outcome: Mapped[str] = mapped_column(String(20))  # stored | duplicate | refused
    reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document | None] = relationship(back_populates="submissions")


class Page(Base):
    """A page's size, where its text came from, and its words with boxes (for the viewer)."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    width: Mapped[float] = mapped_column()
    height: Mapped[float] = mapped_column()
    text_source: Mapped[str] = mapped_column(String(20))
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    words: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    image_key: Mapped[str | None] = mapped_column(String(200))

    document: Mapped[Document] = relationship(back_populates="pages")
