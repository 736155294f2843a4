"""The dashboard's figures from documents, the audit log and postings, and its charts."""

from __future__ import annotations

from datetime import timedelta

from models.audit import append_audit
from models.base import utcnow
from models.db import transaction
from models.documents import Document
from models.extractions import Extraction
from models.matching import Hold, MatchResult
from models.postings import Posting
from models.review import ReviewTask
from review_ui.services.charts import hbar, stacked_columns
from review_ui.services.dashboard import Period, load_dashboard
from review_ui.sites import EVERY_SITE, SiteScope
from tests.review_ui.conftest import World


def _doc(db: object, n: int, *, state: str, site: str | None, hours_to_post: float | None = None,
         reviewed: bool = False, corrected: bool = False, holds: tuple[str, ...] = (), open_task: bool = False) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(db, Session)
    received = utcnow() - timedelta(days=2)
    doc = Document(sha256=f"{n:064x}", size=1, media_type="application/pdf", source="email", envelope={},
                   state=state, attempts=0, doc_type="invoice", site=site, vendor_name=f"Vendor {n % 2}",
                   received_at=received, updated_at=received)
    db.add(doc)
    db.flush()
    result = MatchResult(document_id=doc.id, run=1, extraction_version=1, decision="review" if reviewed
                         else "auto_approve", detail={})
    db.add(result)
    db.flush()
    for code in holds:
        db.add(Hold(document_id=doc.id, match_result_id=result.id, code=code, message="x", evidence={},
                    release_role="clerk", status="released"))
    if reviewed:
        append_audit(db, actor="system:match", action="state", document_id=doc.id, from_state="matched",
                     to_state="in_review")
        if not open_task:
            db.add(ReviewTask(document_id=doc.id, status="done", created_at=received, closed_at=received))
    if corrected:
        db.add(Extraction(document_id=doc.id, version=2, kind="correction", engine="user:x", data={}))
    if hours_to_post is not None:
        db.add(Posting(document_id=doc.id, posting_key=f"k{n}", status="posted",
                       posted_at=received + timedelta(hours=hours_to_post)))
    if open_task:
        db.add(ReviewTask(document_id=doc.id, status="open", created_at=received))


def test_touchless_rate_exceptions_first_pass_yield_and_cycle_time(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        _doc(db, 1, state="posted", site="HAM", hours_to_post=1)
        _doc(db, 2, state="posted", site="HAM", hours_to_post=3)
        _doc(db, 3, state="posted", site="BER", hours_to_post=30, reviewed=True, corrected=True,
             holds=("PRICE_VARIANCE",))
        _doc(db, 4, state="in_review", site="BER", reviewed=True, holds=("PRICE_VARIANCE", "NOT_RECEIVED"),
             open_task=True)
    now = utcnow()
    with world.db() as db:
        d = load_dashboard(db, Period.parse(None, None, now.date()), None, now, EVERY_SITE)
    assert d.total.documents == 4 and d.total.posted == 3 and d.total.touchless == 2
    assert d.total.touchless_rate == 2 / 3 and d.total.exception_rate == 2 / 4
    assert d.first_pass_yield == 3 / 4
    assert dict((c, n) for c, n, _ in d.by_hold) == {"PRICE_VARIANCE": 2, "NOT_RECEIVED": 1}
    assert d.cycle_p50_h is not None and round(d.cycle_p50_h) == 3 and d.cycle_p90_h is not None
    assert d.queue_open == 1 and dict(d.queue_ages)["1–3 days"] == 1
    sites = {g.name: g for g in d.per_site}
    assert sites["HAM"].touchless_rate == 1.0 and sites["BER"].touchless_rate == 0.0
    with world.db() as db:
        ham = load_dashboard(db, Period.parse(None, None, now.date()), "HAM", now, EVERY_SITE)
    assert ham.total.documents == 2


def test_a_clinics_dashboard_counts_only_that_clinics_invoices(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        _doc(db, 1, state="posted", site="HAM", hours_to_post=2)
        _doc(db, 2, state="in_review", site="HAM", reviewed=True, holds=("PRICE_VARIANCE",), open_task=True)
        _doc(db, 3, state="posted", site="BER", hours_to_post=50, reviewed=True, holds=("NOT_RECEIVED",))
        _doc(db, 4, state="in_review", site="BER", reviewed=True, holds=("NOT_RECEIVED",), open_task=True)
        _doc(db, 5, state="in_review", site=None, reviewed=True, holds=("VENDOR_UNKNOWN",), open_task=True)
    now = utcnow()
    period = Period.parse(None, None, now.date())
    with world.db() as db:
        group = load_dashboard(db, period, None, now, EVERY_SITE)
        ham = load_dashboard(db, period, None, now, SiteScope(frozenset({"HAM"})))
        ham_asking_for_berlin = load_dashboard(db, period, "BER", now, SiteScope(frozenset({"HAM"})))
        nothing = load_dashboard(db, period, None, now, SiteScope.of(["", 7]))
    assert (group.total.documents, group.queue_open, group.sites) == (5, 3, ["BER", "HAM"])
    assert {g.name for g in group.per_site} == {"HAM", "BER", "—"}
    assert dict((c, n) for c, n, _ in group.by_hold) == {"PRICE_VARIANCE": 1, "NOT_RECEIVED": 2, "VENDOR_UNKNOWN": 1}
    # The clinic's figures: its two invoices, its open item, its hold; no other site, no unknown site.
    assert (ham.total.documents, ham.total.posted, ham.total.touchless, ham.queue_open) == (2, 1, 1, 1)
    assert [g.name for g in ham.per_site] == ["HAM"] and ham.sites == ["HAM"]
    assert dict((c, n) for c, n, _ in ham.by_hold) == {"PRICE_VARIANCE": 1}
    assert ham.cycle_p90_h is not None and round(ham.cycle_p90_h) == 2
    assert sum(received for _day, received, _t, _r in ham.daily) == 2
    assert ham_asking_for_berlin.total.documents == 0 and ham_asking_for_berlin.queue_open == 0
    assert (nothing.total.documents, nothing.queue_open, nothing.sites) == (0, 0, [])


def test_the_period_is_parsed_forgivingly_and_bounded() -> None:
    from datetime import date

    today = date(2025, 3, 31)
    assert Period.parse(None, None, today) == Period(date(2025, 3, 2), today)
    assert Period.parse("2025-03-10", "2025-03-01", today) == Period(date(2025, 3, 1), date(2025, 3, 10))
    assert Period.parse("2001-01-01", "2025-03-31", today).start == date(2024, 3, 30)
    assert Period.parse("yesterday", "soon", today).end == today


def test_charts_are_plain_svg_with_escaped_labels() -> None:
    svg = str(hbar([("<b>PRICE</b>", 0.5, "50%")], title="Rates"))
    assert svg.startswith("<svg") and "&lt;b&gt;PRICE" in svg and "<script" not in svg
    cols = str(stacked_columns([("03-01", (2, 1)), ("03-02", (0, 3))], ("touchless", "review"), title="Days"))
    assert cols.count("<rect") >= 3 + 2
    assert "nothing in this period" in str(hbar([], title="Rates"))
