"""Where documents stand after a run: the per-document line and the summary ``process`` prints."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.documents import Document
from models.matching import Hold
from models.postings import Posting
from models.states import REVIEWABLE, TERMINAL, DocumentState

SETTLED = TERMINAL | REVIEWABLE - {DocumentState.APPROVED}


@dataclass(frozen=True)
class DocumentOutcome:
    document_id: int
    state: str
    holds: tuple[str, ...]
    detail: str


def outcomes(sessions: sessionmaker[Session], document_ids: Iterable[int]) -> list[DocumentOutcome]:
    ids = sorted(set(document_ids))
    if not ids:
        return []
    with sessions() as s:
        docs = {d.id: d for d in s.scalars(select(Document).where(Document.id.in_(ids)))}
        holds: dict[int, list[str]] = {}
        for doc_id, code in s.execute(select(Hold.document_id, Hold.code)
                                      .where(Hold.document_id.in_(ids), Hold.status == "open")):
            holds.setdefault(doc_id, []).append(code)
        bills = dict(s.execute(select(Posting.document_id, Posting.odoo_move_name)
                               .where(Posting.document_id.in_(ids))).tuples().all())
    out = []
    for doc_id in ids:
        doc = docs[doc_id]
        if doc.state in (DocumentState.REFUSED.value, DocumentState.FAILED.value):
            detail = f"{doc.failure_code or ''}: {doc.failure_reason or ''}".strip(": ")
        elif doc.state == DocumentState.POSTED.value:
            detail = f"bill {bills.get(doc_id) or ''}".strip()
        else:
            detail = " ".join(x for x in (doc.vendor_name, doc.invoice_number,
                                          f"{doc.total_amount} {doc.currency}" if doc.total_amount else None) if x)
        out.append(DocumentOutcome(doc_id, doc.state, tuple(sorted(set(holds.get(doc_id, [])))), detail))
    return out


def wait_until_settled(sessions: sessionmaker[Session], document_ids: Iterable[int], *, timeout_s: float,
                       poll_s: float = 0.5) -> bool:
    """For external workers: poll until every document is settled (reviewable or terminal)."""
    ids = list(set(document_ids))
    deadline = time.monotonic() + timeout_s
    settled = {s.value for s in SETTLED}
    while time.monotonic() < deadline:
        with sessions() as s:
            states = s.scalars(select(Document.state).where(Document.id.in_(ids))).all()
        if all(state in settled for state in states):
            return True
        time.sleep(poll_s)
    return False


def state_counts(items: Iterable[DocumentOutcome]) -> Counter[str]:
    return Counter(o.state for o in items)
