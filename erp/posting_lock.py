"""One posting of a document at a time.

The same document can reach posting twice at once: dramatiq redelivers a message whose worker stopped
heart-beating, the sweeper re-sends stalled documents, and a person can press retry. Posting looks for
an existing bill and then creates one; two of those running side by side both find nothing and both
create. This lock makes the second one wait for the next try. On PostgreSQL it is a session-level
advisory lock, which the server releases by itself when the holder's connection dies (a killed worker
cannot leave it behind); the embedded SQLite default runs its workers as threads of one process, so a
process-local lock does there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from erp.errors import PostingBusy

_LOCK_CLASS = 0x706F7374  # "post": the advisory lock's first key; the document id is the second
_STRIPES = [threading.Lock() for _ in range(64)]


@contextmanager
def exclusive_posting(sessions: sessionmaker[Session], document_id: int) -> Iterator[None]:
    engine = sessions.kw.get("bind")
    if isinstance(engine, Engine) and engine.dialect.name == "postgresql":
        with _advisory(engine, document_id):
            yield
        return
    stripe = _STRIPES[document_id % len(_STRIPES)]
    if not stripe.acquire(blocking=False):
        raise _busy(document_id)
    try:
        yield
    finally:
        stripe.release()


@contextmanager
def _advisory(engine: Engine, document_id: int) -> Iterator[None]:
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"),
                           {"a": _LOCK_CLASS, "b": document_id}).scalar()
        conn.commit()
        if not got:
            raise _busy(document_id)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": _LOCK_CLASS, "b": document_id})
            conn.commit()


def _busy(document_id: int) -> PostingBusy:
    return PostingBusy(f"document {document_id} is being posted by another worker right now; this delivery "
                       "will try again once that one has finished")
