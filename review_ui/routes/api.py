"""The JSON API: the screens' actions for scripts and integrations, under the same policy and guard.

Authentication is the same session cookie (sign in through ``/login``); every state-changing call sends
the session's CSRF token (from ``GET /api/v1/me``) in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from models.db import transaction
from review_ui.routes.common import Ctx, CurrentActor
from review_ui.schemas import (
    AssignIn,
    CorrectionIn,
    DashboardOut,
    DocumentOut,
    Done,
    FailureItem,
    FailuresOut,
    FieldOut,
    HistoryOut,
    HoldOut,
    Me,
    MergeIn,
    NoteIn,
    PostingOut,
    QueueItem,
    QueueOut,
    ReasonIn,
    ReleaseIn,
    SplitIn,
    UploadOut,
    ValidateIn,
    ValidateOut,
    ViewIn,
    ViewOut,
)
from review_ui.services import assignment, decisions, splitting
from review_ui.services import views as saved_views
from review_ui.services.corrections import CorrectionInput, FieldEdit, save_correction
from review_ui.services.dashboard import Period, load_dashboard
from review_ui.services.errors import NotFound
from review_ui.services.failures import load_failures
from review_ui.services.history import AuditQuery, HistoryRow, audit_page, document_history
from review_ui.services.queue import QueueFilter, load_queue
from review_ui.services.screen import Screen, load_screen
from review_ui.services.uploads import upload
from review_ui.services.validation import check_field

router = APIRouter(prefix="/api/v1", tags=["review"])
DOC = "/documents/{document_id}"


@router.get("/me", name="api.me", response_model=Me)
def me(actor: CurrentActor) -> Me:
    return Me(id=actor.user_id, username=actor.username, display_name=actor.display_name, role=actor.role.value,
              approval_limit=str(actor.approval_limit) if actor.approval_limit is not None else None,
              sites=sorted(actor.scope.sites) if actor.scope.sites is not None else None,
              csrf_token=actor.csrf_token)


@router.get("/queue", name="api.queue", response_model=QueueOut)
def queue(request: Request, actor: CurrentActor, ctx: Ctx) -> QueueOut:
    """Open review items. Query parameters as on the queue page: queue, hold, vendor, company, site,
    amount_min, amount_max, age_min, age_max, sla (ok|due|overdue), assignee (me|none|name),
    state (open|waiting), sort, page."""
    f = QueueFilter.from_params(request.query_params)
    with transaction(ctx.sessions) as db:
        qp = load_queue(db, f, user_id=actor.user_id, scope=actor.scope, now=ctx.clock(), warning=ctx.sla_warning)
    return QueueOut(total=qp.total, page=qp.filter.page, pages=qp.pages, per_page=qp.per_page,
                    counts_by_hold=dict(qp.counts_by_hold), items=[QueueItem(
                        document_id=r.document_id, vendor_name=r.vendor_name, invoice_number=r.invoice_number,
                        site=r.site, company_id=r.company_id, currency=r.currency,
                        total_amount=str(r.total_amount) if r.total_amount is not None else None,
                        received_at=r.received_at, due_at=r.due_at, sla=r.sla, assignee=r.assignee, queue=r.queue,
                        required_role=r.required_role, waiting_for_information=bool(r.info_requested),
                        holds=r.holds) for r in qp.rows])


@router.get("/failures", name="api.failures", response_model=FailuresOut)
def failures(actor: CurrentActor, ctx: Ctx, kind: str = "failed", page: int = 1) -> FailuresOut:
    with transaction(ctx.sessions) as db:
        fp = load_failures(db, kind, page, actor.scope)
    return FailuresOut(kind=fp.kind, total=fp.total, counts=fp.counts, items=[FailureItem(
        document_id=r.document_id, state=r.state, filename=r.filename, stage=r.stage, code=r.code, reason=r.reason,
        attempts=r.attempts, received_at=r.received_at) for r in fp.rows])


def _document_out(s: Screen) -> DocumentOut:
    doc = s.doc
    return DocumentOut(
        id=doc.id, state=doc.state, filename=doc.filename, media_type=doc.media_type, received_at=doc.received_at,
        failure={"stage": doc.failed_stage, "code": doc.failure_code, "reason": doc.failure_reason}
        if doc.failure_reason else None,
        fields={f.name: FieldOut(value=f.value or None, confidence=f.confidence, source=f.source, page=f.page,
                                 bbox=f.bbox, machine_value=f.machine_value) for f in s.fields},
        lines=[{n: FieldOut(value=c.value or None, confidence=c.confidence, source=c.source, page=c.page,
                            bbox=c.bbox) for n, c in line.cells.items()} for line in s.lines],
        versions=[{"version": v.version, "kind": v.kind, "engine": v.engine, "by": v.by, "at": v.at.isoformat()}
                  for v in s.versions],
        holds=[HoldOut(id=h.id, code=h.code, title=h.title, message=h.message, line_ref=h.line_ref,
                       release_role=h.release_role, status=h.status, released_by=h.released_by,
                       release_reason=h.release_reason, you_may_release=h.status == "open" and not h.barriers,
                       why_not=h.barriers) for h in s.holds],
        three_way=[{k: (str(v) if v is not None else None) for k, v in vars(r).items()} for r in s.threeway.rows],
        assignee=s.assignee, queue=s.task.queue if s.task else None, sla=s.sla,
        posting=PostingOut(status=s.posting.status, odoo_move_id=s.posting.odoo_move_id,
                           odoo_move_name=s.posting.odoo_move_name, last_error=s.posting.last_error,
                           link=s.odoo_link) if s.posting else None,
        you_may_approve=not s.approval_barriers, why_not_approve=s.approval_barriers)


@router.get(DOC, name="api.document", response_model=DocumentOut)
def document(document_id: int, actor: CurrentActor, ctx: Ctx) -> DocumentOut:
    with transaction(ctx.sessions) as db:
        s = load_screen(db, document_id, actor, now=ctx.clock(), warning=ctx.sla_warning, odoo_url=ctx.odoo_url)
        if s is None:
            raise NotFound(f"document {document_id} does not exist")
        return _document_out(s)


def _history_out(r: HistoryRow) -> HistoryOut:
    return HistoryOut(id=r.id, at=r.at, actor=r.actor, action=r.action, from_state=r.from_state,
                      to_state=r.to_state, reason=r.reason,
                      changes=[{"what": c.what, "from": c.before, "to": c.after} for c in r.changes],
                      details=dict(r.details), document_id=r.document_id)


@router.get(DOC + "/history", name="api.history", response_model=list[HistoryOut])
def history(document_id: int, actor: CurrentActor, ctx: Ctx) -> list[HistoryOut]:
    with transaction(ctx.sessions) as db:
        return [_history_out(r) for r in document_history(db, document_id)]


@router.post(DOC + "/corrections", name="api.correct", response_model=Done)
def correct(document_id: int, body: CorrectionIn, actor: CurrentActor, ctx: Ctx) -> Done:
    def edit(e: Any) -> FieldEdit:
        return FieldEdit(e.value, e.page, tuple(e.bbox) if e.bbox else None)
    version = save_correction(ctx, actor, document_id, CorrectionInput(
        header={k: edit(v) for k, v in body.fields.items()},
        lines=[{k: edit(v) for k, v in line.items()} for line in body.lines] if body.lines is not None else None,
        note=body.note))
    return Done(document_id=document_id, detail=f"version {version}")


@router.post(DOC + "/rematch", name="api.rematch", response_model=Done)
def rematch(document_id: int, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.rematch(ctx, actor, document_id)
    return Done(document_id=document_id)


@router.post(DOC + "/holds/{hold_id}/release", name="api.release", response_model=Done)
def release(document_id: int, hold_id: int, body: ReleaseIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.release_hold(ctx, actor, document_id, hold_id, body.reason, body.totp_code)
    return Done(document_id=document_id)


@router.post(DOC + "/approve", name="api.approve", response_model=Done)
def approve(document_id: int, body: NoteIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.approve(ctx, actor, document_id, body.note)
    return Done(document_id=document_id, detail="approved; posting queued")


@router.post(DOC + "/reject", name="api.reject", response_model=Done)
def reject(document_id: int, body: ReasonIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.reject(ctx, actor, document_id, body.reason)
    return Done(document_id=document_id)


@router.post(DOC + "/escalate", name="api.escalate", response_model=Done)
def escalate(document_id: int, body: ReasonIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.escalate(ctx, actor, document_id, body.reason)
    return Done(document_id=document_id)


@router.post(DOC + "/handoff", name="api.handoff", response_model=Done)
def handoff(document_id: int, body: ReasonIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.handoff(ctx, actor, document_id, body.reason)
    return Done(document_id=document_id)


@router.post(DOC + "/request-info", name="api.request_info", response_model=Done)
def request_info(document_id: int, body: NoteIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.request_info(ctx, actor, document_id, body.note)
    return Done(document_id=document_id)


@router.post(DOC + "/info-received", name="api.info_received", response_model=Done)
def info_received(document_id: int, body: NoteIn, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.info_received(ctx, actor, document_id, body.note)
    return Done(document_id=document_id)


@router.post(DOC + "/claim", name="api.claim", response_model=Done)
def claim(document_id: int, actor: CurrentActor, ctx: Ctx) -> Done:
    assignment.claim(ctx, actor, document_id)
    return Done(document_id=document_id)


@router.post(DOC + "/unassign", name="api.unassign", response_model=Done)
def unassign(document_id: int, actor: CurrentActor, ctx: Ctx) -> Done:
    assignment.unassign(ctx, actor, document_id)
    return Done(document_id=document_id)


@router.post(DOC + "/assign", name="api.assign", response_model=Done)
def assign(document_id: int, body: AssignIn, actor: CurrentActor, ctx: Ctx) -> Done:
    assignment.assign(ctx, actor, document_id, body.assignee)
    return Done(document_id=document_id)


@router.post(DOC + "/retry", name="api.retry", response_model=Done)
def retry(document_id: int, actor: CurrentActor, ctx: Ctx) -> Done:
    stage = decisions.retry_failed(ctx, actor, document_id)
    return Done(document_id=document_id, detail=f"stage {stage} queued again")


@router.post(DOC + "/retry-posting", name="api.retry_posting", response_model=Done)
def retry_posting(document_id: int, actor: CurrentActor, ctx: Ctx) -> Done:
    decisions.retry_posting(ctx, actor, document_id)
    return Done(document_id=document_id)


@router.post(DOC + "/split", name="api.split", response_model=Done)
def split(document_id: int, body: SplitIn, actor: CurrentActor, ctx: Ctx) -> Done:
    children = splitting.split(ctx, actor, document_id, body.ranges)
    return Done(document_id=document_id, ids=children)


@router.post(DOC + "/merge", name="api.merge", response_model=Done)
def merge(document_id: int, body: MergeIn, actor: CurrentActor, ctx: Ctx) -> Done:
    new_id = splitting.merge(ctx, actor, document_id, body.with_documents)
    return Done(document_id=new_id, ids=[document_id, *body.with_documents])


@router.post("/documents", name="api.upload", response_model=UploadOut)
async def upload_document(actor: CurrentActor, ctx: Ctx, file: Annotated[UploadFile, File()]) -> UploadOut:
    data = await file.read(ctx.max_upload_bytes + 1)
    result = await run_in_threadpool(upload, ctx, actor, data, file.filename)
    return UploadOut(outcome=result.outcome, document_id=result.document_id, reason=result.reason)


@router.post("/validate", name="api.validate", response_model=ValidateOut)
def validate(body: ValidateIn, actor: CurrentActor) -> ValidateOut:
    """Check one field's value as the screen does while the clerk types (dates, amounts, VAT, IBAN)."""
    check = check_field(body.field, body.value)
    return ValidateOut(ok=check.ok, value=check.value, message=check.message)


@router.get("/views", name="api.views", response_model=list[ViewOut])
def views(actor: CurrentActor, ctx: Ctx) -> list[ViewOut]:
    with transaction(ctx.sessions) as db:
        return [ViewOut(id=v.id, name=v.name, query=v.query) for v in saved_views.list_views(db, actor.user_id)]


@router.post("/views", name="api.views.create", response_model=ViewOut)
def create_view(body: ViewIn, actor: CurrentActor, ctx: Ctx) -> ViewOut:
    v = saved_views.save_view(ctx, actor, body.name, dict(parse_qsl(body.query)))
    return ViewOut(id=v.id, name=v.name, query=v.query)


@router.delete("/views/{view_id}", name="api.views.delete", response_model=Done)
def delete_view(view_id: int, actor: CurrentActor, ctx: Ctx) -> Done:
    saved_views.delete_view(ctx, actor, view_id)
    return Done()


@router.get("/dashboard", name="api.dashboard", response_model=DashboardOut)
def dashboard(actor: CurrentActor, ctx: Ctx, start: str | None = None, end: str | None = None,
              site: str | None = None) -> DashboardOut:
    now = ctx.clock()
    period = Period.parse(start, end, now.date())
    with transaction(ctx.sessions) as db:
        d = load_dashboard(db, period, (site or None) and site[:60], now, actor.scope)
    return DashboardOut(
        start=period.start.isoformat(), end=period.end.isoformat(), documents=d.total.documents,
        touchless_rate=d.total.touchless_rate, exception_rate=d.total.exception_rate,
        first_pass_yield=d.first_pass_yield, cycle_p50_hours=d.cycle_p50_h, cycle_p90_hours=d.cycle_p90_h,
        queue_open=d.queue_open, queue_oldest_days=d.queue_oldest_days,
        exception_rate_by_hold={code: rate for code, _n, rate in d.by_hold},
        per_site=[{"site": g.name, "documents": g.documents, "touchless_rate": g.touchless_rate,
                   "exception_rate": g.exception_rate, "median_cycle_hours": g.median_cycle_h}
                  for g in d.per_site])


@router.get("/audit", name="api.audit", response_model=list[HistoryOut])
def audit(actor: CurrentActor, ctx: Ctx, document: int | None = None, page: int = 1) -> list[HistoryOut]:
    with transaction(ctx.sessions) as db:
        rows, _more = audit_page(db, AuditQuery(document_id=document, scope=actor.scope), page)
    return [_history_out(r) for r in rows]


@router.get("/openapi.json", name="api.openapi", include_in_schema=False)
def openapi(request: Request, actor: CurrentActor) -> dict[str, Any]:
    spec: dict[str, Any] = request.app.openapi()
    return spec
