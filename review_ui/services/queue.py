"""The review queue: open tasks with their documents, filtered, sorted and paged in the database.

Built for 10,000 open items: one paged query for the rows, one count, one grouped count by hold code,
and the page's holds in one more query; nothing loads the whole queue. Every query here takes the user's
``SiteScope``: rows, totals, counts by hold code, "next" and the filter's site list only ever reach the
user's sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVarTuple
from urllib.parse import urlencode

from sqlalchemy import Numeric, Select, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from models.documents import Document
from models.matching import Hold
from models.review import ReviewTask
from models.users import User
from review_ui.sites import SiteScope

PER_PAGE = 50
Ts = TypeVarTuple("Ts")
SORTS: dict[str, str] = {
    "oldest": "Oldest first",
    "newest": "Newest first",
    "due": "Due soonest",
    "amount_desc": "Largest amount",
    "amount_asc": "Smallest amount",
    "vendor": "Vendor A–Z",
}
SLA_STATES = ("ok", "due", "overdue")
QUEUES = ("all", "exceptions", "approvals")
TASK_STATES = ("open", "waiting")


@dataclass(frozen=True)
class QueueFilter:
    queue: str = "all"
    hold: str | None = None
    vendor: str | None = None
    company: int | None = None
    site: str | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    age_min: int | None = None  # days since the document arrived
    age_max: int | None = None
    sla: str | None = None
    assignee: str | None = None  # "me", "none" or a user name
    state: str | None = None  # open (workable) | waiting (information requested)
    sort: str = "oldest"
    page: int = 1

    @classmethod
    def from_params(cls, params: Any) -> QueueFilter:
        """From a query string; what does not parse is ignored rather than refused (a bookmarked view
        keeps working when a value goes stale)."""
        def text(name: str, limit: int = 120) -> str | None:
            value = str(params.get(name) or "").strip()
            return value[:limit] or None

        def number(name: str) -> int | None:
            value = text(name, 12)
            return int(value) if value and value.isdigit() else None

        def amount(name: str) -> Decimal | None:
            value = text(name, 30)
            try:
                parsed = Decimal(value.replace(",", ".")) if value else None
            except InvalidOperation:
                return None
            return parsed if parsed is not None and parsed.is_finite() else None

        queue = text("queue") or "all"
        sort = text("sort") or "oldest"
        sla = text("sla")
        state = text("state")
        return cls(
            queue=queue if queue in QUEUES else "all",
            hold=(text("hold", 40) or "").upper() or None,
            vendor=text("vendor"),
            company=number("company"),
            site=text("site", 60),
            amount_min=amount("amount_min"),
            amount_max=amount("amount_max"),
            age_min=number("age_min"),
            age_max=number("age_max"),
            sla=sla if sla in SLA_STATES else None,
            assignee=text("assignee", 80),
            state=state if state in TASK_STATES else None,
            sort=sort if sort in SORTS else "oldest",
            page=max(1, min(number("page") or 1, 100_000)),
        )

    def params(self, **overrides: Any) -> dict[str, str]:
        values = replace(self, **overrides)
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(values, f.name)
            default = f.default
            if value is not None and value != default:
                out[f.name] = str(value)
        return out

    def query(self, **overrides: Any) -> str:
        return urlencode(self.params(**overrides))


@dataclass(frozen=True)
class QueueRow:
    document_id: int
    task_id: int
    vendor_name: str | None
    invoice_number: str | None
    site: str | None
    company_id: int | None
    currency: str | None
    total_amount: Decimal | None
    received_at: datetime
    due_at: datetime | None
    sla: str | None
    assignee: str | None
    queue: str
    required_role: str
    state: str
    info_requested: str | None
    holds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    filter: QueueFilter
    per_page: int
    counts_by_hold: list[tuple[str, int]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def sla_state(due_at: datetime | None, now: datetime, warning: timedelta) -> str | None:
    if due_at is None:
        return None
    if due_at <= now:
        return "overdue"
    return "due" if due_at <= now + warning else "ok"


def _amount(column: Any) -> Any:
    # SQLite keeps exact decimals as text; compare them as numbers, not strings ("9" > "10").
    return cast(column, Numeric(20, 6))


def _filtered(f: QueueFilter, *, user_id: int, scope: SiteScope, now: datetime,
              warning: timedelta) -> Select[ReviewTask, Document]:
    stmt = (select(ReviewTask, Document)
            .join(Document, Document.id == ReviewTask.document_id)
            .where(ReviewTask.status == "open", scope.documents()))
    conditions: list[Any] = []
    if f.queue != "all":
        conditions.append(ReviewTask.queue == f.queue)
    if f.hold:
        conditions.append(exists().where(Hold.document_id == ReviewTask.document_id, Hold.code == f.hold,
                                         Hold.status == "open"))
    if f.vendor:
        pattern = "%" + f.vendor.replace("\\", "").replace("%", "").replace("_", "").lower() + "%"
        conditions.append(func.lower(Document.vendor_name).like(pattern))
    if f.company is not None:
        conditions.append(Document.company_id == f.company)
    if f.site:
        conditions.append(Document.site == f.site)
    if f.amount_min is not None:
        conditions.append(_amount(Document.total_amount) >= f.amount_min)
    if f.amount_max is not None:
        conditions.append(_amount(Document.total_amount) <= f.amount_max)
    if f.age_min is not None:
        conditions.append(Document.received_at <= now - timedelta(days=f.age_min))
    if f.age_max is not None:
        conditions.append(Document.received_at > now - timedelta(days=f.age_max + 1))
    if f.sla == "overdue":
        conditions.append(ReviewTask.due_at <= now)
    elif f.sla == "due":
        conditions.append(and_(ReviewTask.due_at > now, ReviewTask.due_at <= now + warning))
    elif f.sla == "ok":
        conditions.append(or_(ReviewTask.due_at.is_(None), ReviewTask.due_at > now + warning))
    if f.assignee == "me":
        conditions.append(ReviewTask.assignee_id == user_id)
    elif f.assignee == "none":
        conditions.append(ReviewTask.assignee_id.is_(None))
    elif f.assignee:
        conditions.append(ReviewTask.assignee_id == select(User.id).where(User.username == f.assignee)
                          .scalar_subquery())
    if f.state == "waiting":
        conditions.append(ReviewTask.info_requested.is_not(None))
    elif f.state == "open":
        conditions.append(ReviewTask.info_requested.is_(None))
    return stmt.where(*conditions)


def _ordered(stmt: Select[*Ts], sort: str) -> Select[*Ts]:
    orders: dict[str, list[Any]] = {
        "oldest": [Document.received_at.asc()],
        "newest": [Document.received_at.desc()],
        "due": [ReviewTask.due_at.is_(None), ReviewTask.due_at.asc()],
        "amount_desc": [_amount(Document.total_amount).is_(None), _amount(Document.total_amount).desc()],
        "amount_asc": [_amount(Document.total_amount).is_(None), _amount(Document.total_amount).asc()],
        "vendor": [Document.vendor_name.is_(None), func.lower(Document.vendor_name).asc()],
    }
    return stmt.order_by(*orders[sort], ReviewTask.id.asc())


def load_queue(db: Session, f: QueueFilter, *, user_id: int, scope: SiteScope, now: datetime, warning: timedelta,
               per_page: int = PER_PAGE) -> QueuePage:
    base = _filtered(f, user_id=user_id, scope=scope, now=now, warning=warning)
    total = db.execute(select(func.count()).select_from(base.with_only_columns(ReviewTask.id).subquery())
                       ).scalar() or 0
    page = min(f.page, max(1, -(-total // per_page)))
    # Sort and page narrow rows (two ids), then read the page's 50 rows whole: a deep page then costs a
    # sort of ids, not of every column of 10,000 rows.
    narrow: Select[int, int] = base.with_only_columns(ReviewTask.id, ReviewTask.document_id)
    ordered = _ordered(narrow, f.sort)
    pairs = [(int(task_id), int(doc_id)) for task_id, doc_id in
             db.execute(ordered.limit(per_page).offset((page - 1) * per_page)).tuples()]
    tasks = {t.id: t for t in db.execute(select(ReviewTask).where(ReviewTask.id.in_([p[0] for p in pairs])))
             .scalars()}
    doc_ids = [doc_id for _task_id, doc_id in pairs]
    docs = {d.id: d for d in db.execute(select(*_DOC_COLUMNS).where(Document.id.in_(doc_ids)))}
    holds: dict[int, list[str]] = {}
    if doc_ids:
        for doc_id, code in db.execute(select(Hold.document_id, Hold.code)
                                       .where(Hold.document_id.in_(doc_ids), Hold.status == "open")
                                       .order_by(Hold.id)):
            codes = holds.setdefault(doc_id, [])
            if code not in codes:
                codes.append(code)
    users = _usernames(db, {t.assignee_id for t in tasks.values() if t.assignee_id})
    rows = []
    for task_id, doc_id in pairs:
        task, doc = tasks[task_id], docs[doc_id]
        rows.append(QueueRow(
            document_id=doc.id, task_id=task.id, vendor_name=doc.vendor_name, invoice_number=doc.invoice_number,
            site=doc.site, company_id=doc.company_id, currency=doc.currency, total_amount=doc.total_amount,
            received_at=doc.received_at, due_at=task.due_at, sla=sla_state(task.due_at, now, warning),
            assignee=users.get(task.assignee_id) if task.assignee_id else None, queue=task.queue,
            required_role=task.required_role, state=doc.state, info_requested=task.info_requested,
            holds=holds.get(doc.id, [])))
    return QueuePage(rows, total, replace(f, page=page), per_page, hold_counts(db, scope))


_DOC_COLUMNS = (Document.id, Document.vendor_name, Document.invoice_number, Document.site, Document.company_id,
                Document.currency, Document.total_amount, Document.received_at, Document.state)


def hold_counts(db: Session, scope: SiteScope) -> list[tuple[str, int]]:
    """Open items within the scope per hold code (an item with two holds counts under both)."""
    open_docs = (select(ReviewTask.document_id).join(Document, Document.id == ReviewTask.document_id)
                 .where(ReviewTask.status == "open", scope.documents()))
    stmt = (select(Hold.code, func.count(func.distinct(Hold.document_id)))
            .where(Hold.status == "open", Hold.document_id.in_(open_docs))
            .group_by(Hold.code).order_by(func.count(func.distinct(Hold.document_id)).desc(), Hold.code))
    return [(code, int(n)) for code, n in db.execute(stmt)]


def _usernames(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.execute(select(User.id, User.username).where(User.id.in_(ids))).tuples().all())


def next_document(db: Session, *, user_id: int, scope: SiteScope, after: int | None = None,
                  queue: str = "all") -> int | None:
    """The oldest open item this user can work on now: at their sites, theirs or nobody's, not waiting for
    information, skipping the one just finished."""
    stmt = (select(ReviewTask.document_id).join(Document, Document.id == ReviewTask.document_id)
            .where(ReviewTask.status == "open", ReviewTask.info_requested.is_(None), scope.documents(),
                   or_(ReviewTask.assignee_id.is_(None), ReviewTask.assignee_id == user_id)))
    if queue != "all":
        stmt = stmt.where(ReviewTask.queue == queue)
    if after is not None:
        stmt = stmt.where(ReviewTask.document_id != after)
    return db.execute(stmt.order_by(Document.received_at.asc(), ReviewTask.id.asc()).limit(1)).scalar()


def sites_and_companies(db: Session, scope: SiteScope) -> tuple[list[str], list[int]]:
    """The values the queue's site and company filters offer this user (from their sites' documents)."""
    sites = [s for s in db.execute(select(Document.site).where(Document.site.is_not(None), scope.documents())
                                   .distinct().order_by(Document.site)).scalars() if s]
    companies = [c for c in db.execute(select(Document.company_id).where(Document.company_id.is_not(None),
                                                                         scope.documents())
                                       .distinct().order_by(Document.company_id)).scalars() if c is not None]
    return sites, companies
