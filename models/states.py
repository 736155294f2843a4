"""A document's lifecycle and the transitions allowed between its states."""

from __future__ import annotations

from enum import StrEnum


class DocumentState(StrEnum):
    RECEIVED = "received"
    STORED = "stored"
    REFUSED = "refused"
    TEXT_READY = "text_ready"
    EXTRACTED = "extracted"
    MATCHED = "matched"
    AUTO_APPROVED = "auto_approved"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    POSTING = "posting"
    POSTED = "posted"
    POSTING_FAILED = "posting_failed"
    FAILED = "failed"
    SPLIT = "split"
    # Joined with other documents into a new one (pages that belong to one invoice arrived apart).
    MERGED = "merged"


S = DocumentState

# A document may always go to FAILED (with the stage and reason); these are the other moves.
TRANSITIONS: dict[DocumentState, frozenset[DocumentState]] = {
    S.RECEIVED: frozenset({S.STORED, S.REFUSED}),
    S.STORED: frozenset({S.TEXT_READY, S.REFUSED, S.SPLIT}),
    S.TEXT_READY: frozenset({S.EXTRACTED, S.REFUSED, S.SPLIT}),
    S.EXTRACTED: frozenset({S.MATCHED, S.IN_REVIEW}),
    S.MATCHED: frozenset({S.AUTO_APPROVED, S.IN_REVIEW}),
    S.AUTO_APPROVED: frozenset({S.POSTING, S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.EXTRACTED, S.MATCHED, S.IN_REVIEW, S.SPLIT, S.MERGED}),
    S.APPROVED: frozenset({S.POSTING, S.IN_REVIEW}),
    S.POSTING: frozenset({S.POSTED, S.POSTING_FAILED}),
    S.POSTING_FAILED: frozenset({S.POSTING, S.IN_REVIEW}),
    S.FAILED: frozenset({S.STORED, S.TEXT_READY, S.EXTRACTED, S.MATCHED, S.APPROVED}),
    S.REJECTED: frozenset({S.IN_REVIEW}),
    S.REFUSED: frozenset(),
    S.POSTED: frozenset(),
    S.SPLIT: frozenset(),
    S.MERGED: frozenset(),
}

TERMINAL: frozenset[DocumentState] = frozenset({S.REFUSED, S.POSTED, S.REJECTED, S.SPLIT, S.MERGED})
# States where a person is expected to look: the queue shows these.
REVIEWABLE: frozenset[DocumentState] = frozenset({S.IN_REVIEW, S.POSTING_FAILED, S.FAILED, S.APPROVED})


def can_move(current: DocumentState, target: DocumentState) -> bool:
    return target is S.FAILED or target in TRANSITIONS[current]
