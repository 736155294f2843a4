"""Re-evaluation: match documents in review again when the mirror (or the document) has changed.

After ``payables erp sync`` the lead calls ``rematch_after_sync``: every document in review with an
open hold that a change in Odoo can clear (a late receipt, a corrected order, a vendor's bank account
added after verification) is matched again; holds no longer raised are cleared, as SAP and Oracle
release them, and a document left with none posts on its own unless a person touched it. ``run`` does
the same for one document (the review screen's "re-run matching", or after a correction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from models.db import transaction
from models.documents import Document
from models.holds import HoldCode
from models.matching import Hold
from models.states import DocumentState
from payables.runtime import Runtime
from payables.stages import Next
from payables.stages.guard import load, lock
from payables.stages.match import current_version, evaluate, policy_of, prepare, record

READY = (DocumentState.IN_REVIEW,)
ACTOR = "system:rematch"
# Holds about the document itself (its reading, its amount's authority) do not change with the mirror.
MIRROR_BOUND = frozenset(HoldCode) - {
    HoldCode.LOW_CONFIDENCE, HoldCode.MISSING_FIELD, HoldCode.EINVOICE_PDF_MISMATCH, HoldCode.ARITHMETIC_ERROR,
    HoldCode.AUDIT_SAMPLE, HoldCode.NOT_AN_INVOICE, HoldCode.OVER_AUTHORITY_LIMIT,
}


@dataclass
class RematchReport:
    examined: int = 0
    auto_approved: list[int] = field(default_factory=list)
    still_in_review: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    following: list[Next] = field(default_factory=list)


def run(rt: Runtime, document_id: int, *, actor: str = ACTOR) -> list[Next]:
    with transaction(rt.sessions) as s:
        doc = load(s, document_id)
        if doc is None or DocumentState(doc.state) not in READY:
            return []
        prepared = prepare(s, doc)
    outcome = evaluate(rt, prepared)
    with transaction(rt.sessions) as s:
        doc = lock(s, document_id, READY)
        if doc is None or current_version(s, document_id) != prepared.version:
            return []
        return record(s, doc, prepared, outcome, policy_of(rt), actor=actor)


def candidates(rt: Runtime, codes: Iterable[HoldCode] = MIRROR_BOUND) -> list[int]:
    """Documents in review with an open hold among ``codes``."""
    wanted = [c.value for c in codes]
    with rt.sessions() as s:
        return list(s.scalars(select(Document.id).distinct().join(Hold, Hold.document_id == Document.id).where(
            Document.state == DocumentState.IN_REVIEW.value, Hold.status == "open", Hold.code.in_(wanted))
            .order_by(Document.id)))


def rematch_after_sync(rt: Runtime, document_ids: Iterable[int] | None = None) -> RematchReport:
    """Re-match the documents a mirror change may have cleared; returns what to enqueue (postings)."""
    index = rt.extras.get("matching.index")
    if index is not None:
        index.invalidate()
    report = RematchReport()
    for document_id in (list(document_ids) if document_ids is not None else candidates(rt)):
        report.examined += 1
        following = run(rt, document_id)
        with rt.sessions() as s:
            doc = s.get(Document, document_id)
            state = doc.state if doc else None
        if following:
            report.auto_approved.append(document_id)
            report.following += following
        elif state == DocumentState.IN_REVIEW.value:
            report.still_in_review.append(document_id)
        else:
            report.skipped.append(document_id)
    return report
