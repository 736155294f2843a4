"""What the sources (mailbox, scan folder, bucket) have already handed to intake, by their own reference.

A source records its reference (an IMAP URL with UIDVALIDITY and UID, a file path with its hash, a
bucket key with its ETag) on the submission. After a crash between "stored" and "marked done at the
source", the source asks here before fetching again, so the item is marked done without being taken a
second time; content dedupe in intake is the second guard when the reference itself changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, IntakeResult
from ingest.sniff import CONTAINERS
from models.documents import Document, Submission
from models.states import DocumentState

# ``Pipeline.submit`` (intake, then the first stage enqueued) or ``Intake.register`` alone.
SubmitFn = Callable[[bytes, Envelope], IntakeResult]

_BATCH = 500


def received_refs(sessions: sessionmaker[Session], refs: Iterable[str]) -> set[str]:
    """The references among ``refs`` whose intake finished: recorded, and not a container whose
    unpacking was interrupted (that one must be handed in again)."""
    wanted = list(dict.fromkeys(refs))
    done: set[str] = set()
    with sessions() as s:
        for start in range(0, len(wanted), _BATCH):
            rows = s.execute(
                select(Submission.source_ref, Submission.outcome, Document.media_type, Document.state)
                .outerjoin(Document, Submission.document_id == Document.id)
                .where(Submission.source_ref.in_(wanted[start:start + _BATCH]))
            ).all()
            for ref, outcome, media_type, state in rows:
                unfinished = (outcome == "stored" and media_type in CONTAINERS
                              and state == DocumentState.STORED.value)
                if ref is not None and not unfinished:
                    done.add(ref)
    return done
