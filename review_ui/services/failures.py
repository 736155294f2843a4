"""Documents the pipeline could not finish: failed (retryable), refused (with the reason, kept as
evidence) and bills Odoo did not accept (posting can be retried)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.documents import Document
from models.postings import Posting
from models.states import DocumentState
from review_ui.sites import SiteScope

KINDS = {
    "failed": (DocumentState.FAILED.value,),
    "refused": (DocumentState.REFUSED.value,),
    "posting": (DocumentState.POSTING_FAILED.value,),
}
PER_PAGE = 50


@dataclass(frozen=True)
class FailureRow:
    document_id: int
    state: str
    filename: str | None
    source: str
    stage: str | None
    code: str | None
    reason: str | None
    attempts: int
    received_at: datetime
    updated_at: datetime

    @property
    def retryable(self) -> bool:
        return self.state in (DocumentState.FAILED.value, DocumentState.POSTING_FAILED.value)


@dataclass(frozen=True)
class FailurePage:
    rows: list[FailureRow]
    kind: str
    total: int
    page: int
    counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def load_failures(db: Session, kind: str, page: int, scope: SiteScope) -> FailurePage:
    """One page of one kind, with every kind's count, over the user's sites (most documents that fail
    before matching have no site yet: they are the central team's, see ``review_ui.sites``)."""
    kind = kind if kind in KINDS else "failed"
    states = KINDS[kind]
    counts = {k: int(db.execute(select(func.count()).select_from(Document)
                                .where(Document.state.in_(v), scope.documents())).scalar() or 0)
              for k, v in KINDS.items()}
    total = counts[kind]
    page = max(1, min(page, max(1, -(-total // PER_PAGE))))
    stmt = (select(Document, Posting.last_error).outerjoin(Posting, Posting.document_id == Document.id)
            .where(Document.state.in_(states), scope.documents())
            .order_by(Document.updated_at.desc(), Document.id.desc())
            .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    rows = [FailureRow(doc.id, doc.state, doc.filename, doc.source, doc.failed_stage, doc.failure_code,
                       doc.failure_reason or posting_error, doc.attempts or 0, doc.received_at, doc.updated_at)
            for doc, posting_error in db.execute(stmt)]
    return FailurePage(rows, kind, total, page, counts)
