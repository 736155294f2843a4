"""Sign-in sessions of the review application and the role changes waiting for a second admin.

Sessions live in the database, not only in the cookie, so signing out, a password change or an admin
revoking access ends them everywhere at once; the cookie carries a random token whose hash is the key.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money, UTCDateTime, utcnow


class WebSession(Base):
    __tablename__ = "web_sessions"

    # sha256 of the cookie's token: a database dump does not hand out live sessions.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Null while the password is checked but the second factor is still owed.
    mfa_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RoleChange(Base):
    """A change of a user's role or approval limit: requested by one admin, applied when another approves."""

    __tablename__ = "role_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    from_role: Mapped[str] = mapped_column(String(20))
    to_role: Mapped[str] = mapped_column(String(20))
    from_limit: Mapped[Decimal | None] = mapped_column(Money)
    to_limit: Mapped[Decimal | None] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|approved|refused
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
