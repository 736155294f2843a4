"""The numbers finance asks about, over a chosen period, from the documents, the audit log and postings.

Definitions (shown on the page as well):
- touchless rate: of the invoices posted, the share that never went to a person;
- exception rate: of the invoices matched, the share held for review (and per hold code, the share
  that had that hold);
- first-pass yield: of the invoices matched, the share that needed no correction and never failed;
- cycle time: from arrival to the bill posted in Odoo;
- queue: open review items now, by age.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.documents import Document
from models.extractions import Extraction
from models.matching import Hold, MatchResult
from models.postings import Posting
from models.review import ReviewTask
from models.states import DocumentState

EXCLUDED = (DocumentState.REFUSED.value, DocumentState.SPLIT.value, DocumentState.MERGED.value)
AGE_BUCKETS = ((1, "< 1 day"), (3, "1–3 days"), (7, "3–7 days"), (30, "7–30 days"), (10**6, "> 30 days"))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date) -> Period:
        def d(value: str | None) -> date | None:
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None
        last = d(end) or today
        first = d(start) or last - timedelta(days=29)
        if first > last:
            first, last = last, first
        first = max(first, last - timedelta(days=366))
        return cls(first, last)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass
class Group:
    """One site's or vendor's figures."""

    name: str
    documents: int = 0
    matched: int = 0
    reviewed: int = 0
    posted: int = 0
    touchless: int = 0
    cycle_hours: list[float] = field(default_factory=list)

    @property
    def touchless_rate(self) -> float | None:
        return self.touchless / self.posted if self.posted else None

    @property
    def exception_rate(self) -> float | None:
        return self.reviewed / self.matched if self.matched else None

    @property
    def median_cycle_h(self) -> float | None:
        return statistics.median(self.cycle_hours) if self.cycle_hours else None


@dataclass
class Dashboard:
    period: Period
    site: str | None
    total: Group
    first_pass: int
    by_hold: list[tuple[str, int, float]]
    per_site: list[Group]
    per_vendor: list[Group]
    daily: list[tuple[date, int, int, int]]  # day, received, posted touchless, sent to review
    queue_open: int
    queue_ages: list[tuple[str, int]]
    queue_oldest_days: float | None
    cycle_p50_h: float | None
    cycle_p90_h: float | None
    sites: list[str]

    @property
    def first_pass_yield(self) -> float | None:
        return self.first_pass / self.total.matched if self.total.matched else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _docs_filter(period: Period, site: str | None) -> Any:
    conditions = [Document.received_at >= period.since, Document.received_at < period.until,
                  Document.state.not_in(EXCLUDED),
                  or_(Document.doc_type.is_(None), Document.doc_type.in_(("invoice", "credit_note")))]
    if site:
        conditions.append(Document.site == site)
    return and_(*conditions)


def load_dashboard(db: Session, period: Period, site: str | None, now: datetime) -> Dashboard:
    where = _docs_filter(period, site)
    ids = select(Document.id).where(where)
    docs = db.execute(select(Document.id, Document.received_at, Document.state, Document.site,
                             Document.vendor_name).where(where)).all()
    reviewed = set(db.execute(select(AuditEntry.document_id).where(
        AuditEntry.document_id.in_(ids), AuditEntry.to_state == DocumentState.IN_REVIEW.value)).scalars())
    failed = set(db.execute(select(AuditEntry.document_id).where(
        AuditEntry.document_id.in_(ids), AuditEntry.action == "failed")).scalars())
    corrected = set(db.execute(select(Extraction.document_id).where(
        Extraction.document_id.in_(ids), Extraction.kind == "correction")).scalars())
    matched = set(db.execute(select(MatchResult.document_id).where(MatchResult.document_id.in_(ids))).scalars())
    posted_at: dict[int, datetime] = {d: at for d, at in db.execute(select(Posting.document_id, Posting.posted_at)
                                      .where(Posting.document_id.in_(ids), Posting.posted_at.is_not(None)))
                                      if at is not None}
    holds = db.execute(select(Hold.document_id, Hold.code).where(Hold.document_id.in_(ids)).distinct()).all()

    total = Group("all")
    sites: dict[str, Group] = defaultdict(lambda: Group(""))
    vendors: dict[str, Group] = defaultdict(lambda: Group(""))
    daily: dict[date, list[int]] = {d: [0, 0, 0] for d in period.days()}
    first_pass = 0
    for doc_id, received, state, doc_site, vendor in docs:
        groups = [total, sites[doc_site or "—"], vendors[vendor or "(unknown vendor)"]]
        sites[doc_site or "—"].name = doc_site or "—"
        vendors[vendor or "(unknown vendor)"].name = vendor or "(unknown vendor)"
        is_posted = state == DocumentState.POSTED.value and doc_id in posted_at
        day = daily.get(received.date())
        if day is not None:
            day[0] += 1
            if doc_id in reviewed:
                day[2] += 1
            elif is_posted:
                day[1] += 1
        if doc_id in matched and doc_id not in corrected and doc_id not in failed:
            first_pass += 1
        for g in groups:
            g.documents += 1
            g.matched += doc_id in matched
            g.reviewed += doc_id in reviewed
            if is_posted:
                g.posted += 1
                g.touchless += doc_id not in reviewed
                g.cycle_hours.append((posted_at[doc_id] - received).total_seconds() / 3600)
    codes = Counter(code for doc_id, code in holds if doc_id in matched)
    by_hold = [(code, n, n / len(matched) if matched else 0.0) for code, n in codes.most_common()]
    ages, oldest, open_count = _queue_ages(db, now, site)
    all_sites = sorted(s for s in db.execute(select(Document.site).where(Document.site.is_not(None))
                                             .distinct()).scalars() if s)
    return Dashboard(
        period=period, site=site, total=total, first_pass=first_pass, by_hold=by_hold,
        per_site=sorted(sites.values(), key=lambda g: (-g.documents, g.name)),
        per_vendor=sorted(vendors.values(), key=lambda g: (-g.documents, g.name))[:15],
        daily=[(d, *v) for d, v in sorted(daily.items())],  # type: ignore[misc]
        queue_open=open_count, queue_ages=ages, queue_oldest_days=oldest,
        cycle_p50_h=_percentile(total.cycle_hours, 0.5), cycle_p90_h=_percentile(total.cycle_hours, 0.9),
        sites=all_sites,
    )


def _queue_ages(db: Session, now: datetime, site: str | None) -> tuple[list[tuple[str, int]], float | None, int]:
    stmt = (select(Document.received_at).join(ReviewTask, ReviewTask.document_id == Document.id)
            .where(ReviewTask.status == "open"))
    if site:
        stmt = stmt.where(Document.site == site)
    ages = [(now - r).total_seconds() / 86400 for r in db.execute(stmt).scalars()]
    buckets = []
    lower = 0
    for upper, label in AGE_BUCKETS:
        buckets.append((label, sum(1 for a in ages if lower <= a < upper)))
        lower = upper
    return buckets, (max(ages) if ages else None), len(ages)
