"""What the review application receives from the process that serves it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope
from ingest.storage import ObjectStore
from models.base import utcnow


class SubmitHook(Protocol):
    """Register uploaded bytes with intake and start the pipeline on them; returns intake's result."""

    def __call__(self, data: bytes, envelope: Envelope) -> object: ...


class EnqueueHook(Protocol):
    """Run a pipeline stage (``read``, ``extract``, ``match``, ``post``) on a document."""

    def __call__(self, stage: str, document_id: int) -> None: ...


class RetryHook(Protocol):
    """Send a failed document back to the stage that failed; returns that stage, or None if not failed."""

    def __call__(self, document_id: int, actor: str) -> str | None: ...


@dataclass(frozen=True)
class AppContext:
    sessions: sessionmaker[Session]
    store: ObjectStore
    secret: str
    submit: SubmitHook
    enqueue: EnqueueHook
    retry: RetryHook
    # Cookies marked Secure: on everywhere except a plain-HTTP loopback development server.
    secure_cookies: bool = True
    # The Odoo base URL, for links to posted bills (none: the reference is shown without a link).
    odoo_url: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024
    session_idle: timedelta = timedelta(minutes=60)
    session_lifetime: timedelta = timedelta(hours=12)
    # A review task is "due" (amber) this long before its SLA deadline, "overdue" (red) after it.
    sla_warning: timedelta = timedelta(hours=8)
    clock: Callable[[], datetime] = utcnow
