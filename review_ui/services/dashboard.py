"""The numbers finance asks about, over a chosen period, from the documents, the audit log and postings.

Definitions (shown on the page as well):
- touchless rate: of the invoices posted, the share that never went to a person (no review task);
- exception rate: of the invoices matched, the share held for review (and per hold code, the share
  that had that hold);
- first-pass yield: of the invoices matched, the share that needed no correction and never failed;
- cycle time: from arrival to the bill posted in Odoo;
- queue: open review items now, by age.

Every figure is taken over the user's sites only (``review_ui.sites``): a clinic's dashboard is that
clinic's, and a group-wide user's includes documents whose site is not known yet (shown as "—").
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.documents import Document
from models.extractions import Extraction
from models.matching import Hold, MatchResult
from models.postings import Posting
from models.review import ReviewTask
from models.states import DocumentState
from review_ui.sites import SiteScope

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


def _docs_filter(period: Period, site: str | None, scope: SiteScope) -> Any:
    conditions = [Document.received_at >= period.since, Document.received_at < period.until, scope.documents(),
                  Document.state.not_in(EXCLUDED),
                  or_(Document.doc_type.is_(None), Document.doc_type.in_(("invoice", "credit_note")))]
    if site:
        conditions.append(Document.site == site)
    return and_(*conditions)


def _day(column: Any, dialect: str) -> Any:
    """The UTC calendar day of a timestamp, as the database computes it."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def _hours(later: Any, earlier: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def load_dashboard(db: Session, period: Period, site: str | None, now: datetime, scope: SiteScope) -> Dashboard:
    """Everything is counted in the database, grouped by day, site and vendor; only those groups and the
    posted invoices' cycle times (numbers, not rows) come back, so a month of a busy group stays fast."""
    dialect = db.get_bind().dialect.name
    where = _docs_filter(period, site, scope)
    reviewed = select(ReviewTask.document_id).distinct().subquery()
    corrected = select(Extraction.document_id).where(Extraction.kind == "correction").distinct().subquery()
    failed = select(AuditEntry.document_id).where(AuditEntry.action == "failed").distinct().subquery()
    matched = select(MatchResult.document_id).distinct().subquery()
    posted = select(Posting.document_id).where(Posting.posted_at.is_not(None)).subquery()
    is_posted = and_(Document.state == DocumentState.POSTED.value, posted.c.document_id.is_not(None))

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    day = _day(Document.received_at, dialect)
    grouped = (select(day, Document.site, Document.vendor_name, func.count(),
                      count_if(matched.c.document_id.is_not(None)), count_if(reviewed.c.document_id.is_not(None)),
                      count_if(is_posted), count_if(and_(is_posted, reviewed.c.document_id.is_(None))),
                      count_if(and_(matched.c.document_id.is_not(None), corrected.c.document_id.is_(None),
                                    failed.c.document_id.is_(None))))
               .select_from(Document)
               .outerjoin(reviewed, reviewed.c.document_id == Document.id)
               .outerjoin(corrected, corrected.c.document_id == Document.id)
               .outerjoin(failed, failed.c.document_id == Document.id)
               .outerjoin(matched, matched.c.document_id == Document.id)
               .outerjoin(posted, posted.c.document_id == Document.id)
               .where(where).group_by(day, Document.site, Document.vendor_name))
    total = Group("all")
    sites: dict[str, Group] = {}
    vendors: dict[str, Group] = {}
    daily: dict[date, list[int]] = {d: [0, 0, 0] for d in period.days()}
    first_pass = 0
    for when, doc_site, vendor, n, n_matched, n_reviewed, n_posted, n_touchless, n_first in db.execute(grouped):
        site_name, vendor_name = doc_site or "—", vendor or "(unknown vendor)"
        for g in (total, sites.setdefault(site_name, Group(site_name)),
                  vendors.setdefault(vendor_name, Group(vendor_name))):
            g.documents += n
            g.matched += n_matched or 0
            g.reviewed += n_reviewed or 0
            g.posted += n_posted or 0
            g.touchless += n_touchless or 0
        first_pass += n_first or 0
        bucket = daily.get(when if isinstance(when, date) else date.fromisoformat(str(when)[:10]))
        if bucket is not None:
            bucket[0] += n
            bucket[1] += n_touchless or 0
            bucket[2] += n_reviewed or 0
    cycles = select(Document.site, Document.vendor_name, _hours(Posting.posted_at, Document.received_at, dialect)) \
        .join(Posting, Posting.document_id == Document.id) \
        .where(where, Document.state == DocumentState.POSTED.value, Posting.posted_at.is_not(None))
    for doc_site, vendor, spent in db.execute(cycles):
        hours = float(spent)
        total.cycle_hours.append(hours)
        sites[doc_site or "—"].cycle_hours.append(hours)
        vendors[vendor or "(unknown vendor)"].cycle_hours.append(hours)
    by_code = db.execute(select(Hold.code, func.count(func.distinct(Hold.document_id)))
                         .join(Document, Document.id == Hold.document_id)
                         .where(where, Hold.document_id.in_(select(matched.c.document_id)))
                         .group_by(Hold.code).order_by(func.count(func.distinct(Hold.document_id)).desc())).all()
    by_hold = [(code, int(n), int(n) / total.matched if total.matched else 0.0) for code, n in by_code]
    ages, oldest, open_count = _queue_ages(db, now, site, scope)
    all_sites = sorted(s for s in db.execute(select(Document.site).where(Document.site.is_not(None),
                                                                         scope.documents())
                                             .distinct()).scalars() if s)
    return Dashboard(
        period=period, site=site, total=total, first_pass=first_pass, by_hold=by_hold,
        per_site=sorted(sites.values(), key=lambda g: (-g.documents, g.name)),
        per_vendor=sorted(vendors.values(), key=lambda g: (-g.documents, g.name))[:15],
        daily=[(d, v[0], v[1], v[2]) for d, v in sorted(daily.items())],
        queue_open=open_count, queue_ages=ages, queue_oldest_days=oldest,
        cycle_p50_h=_percentile(total.cycle_hours, 0.5), cycle_p90_h=_percentile(total.cycle_hours, 0.9),
        sites=all_sites,
    )


def _queue_ages(db: Session, now: datetime, site: str | None,
                scope: SiteScope) -> tuple[list[tuple[str, int]], float | None, int]:
    """Open review items by age, counted in the database (bucket edges are timestamps, compared as such)."""
    edges = [now - timedelta(days=upper) for upper, _label in AGE_BUCKETS[:-1]]
    buckets: list[Any] = []
    newer: Any = None
    for edge in edges:
        condition = Document.received_at > edge if newer is None else and_(Document.received_at > edge,
                                                                             Document.received_at <= newer)
        buckets.append(func.sum(case((condition, 1), else_=0)))
        newer = edge
    buckets.append(func.sum(case((Document.received_at <= newer, 1), else_=0)))
    stmt = (select(func.count(), func.min(Document.received_at), *buckets)
            .join(ReviewTask, ReviewTask.document_id == Document.id)
            .where(ReviewTask.status == "open", scope.documents()))
    if site:
        stmt = stmt.where(Document.site == site)
    count, oldest, *counts = db.execute(stmt).one()
    oldest_days = (now - oldest).total_seconds() / 86400 if oldest is not None else None
    return ([(label, int(n or 0)) for (_upper, label), n in zip(AGE_BUCKETS, counts, strict=True)],
            oldest_days, int(count or 0))
