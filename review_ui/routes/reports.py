"""The dashboard, the audit log and its CSV export, the shortcut list, uploads."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from models.audit import append_audit
from models.db import transaction
from review_ui.rendering import page
from review_ui.routes.common import DONE, Ctx, CurrentActor, see_other
from review_ui.services.charts import hbar, stacked_columns
from review_ui.services.dashboard import Period, load_dashboard
from review_ui.services.errors import InvalidInput
from review_ui.services.history import AuditQuery, audit_page, export_csv
from review_ui.services.uploads import upload
from review_ui.sites import SiteScope

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", name="dashboard.page")
def dashboard(request: Request, actor: CurrentActor, ctx: Ctx, start: str | None = None, end: str | None = None,
              site: str | None = None) -> Response:
    now = ctx.clock()
    period = Period.parse(start, end, now.date())
    with transaction(ctx.sessions) as db:
        d = load_dashboard(db, period, (site or None) and site[:60], now, actor.scope)
    charts = {
        "holds": hbar([(code, rate, f"{rate * 100:.1f}% ({n})") for code, n, rate in d.by_hold[:12]],
                      title="Exception rate by hold code"),
        "daily": stacked_columns([(day.strftime("%m-%d"), (touchless, reviewed))
                                  for day, _received, touchless, reviewed in d.daily],
                                 ("posted without a person", "sent to review"), title="Invoices per day"),
        "ages": hbar([(label, float(n), str(n)) for label, n in d.queue_ages], title="Open items by age"),
        "sites": hbar([(g.name, (g.touchless_rate or 0.0), f"{(g.touchless_rate or 0) * 100:.0f}%")
                       for g in d.per_site[:12]], title="Touchless rate per site"),
    }
    return page(request, "dashboard.html", {"d": d, "charts": charts})


def _audit_query(start: str | None, end: str | None, document: str | None, actor_name: str | None,
                 action: str | None, scope: SiteScope) -> AuditQuery:
    def d(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None
    return AuditQuery(d(start), d(end), int(document) if document and document.isdigit() and len(document) < 19
                      else None, (actor_name or "").strip()[:120] or None, (action or "").strip()[:60] or None,
                      scope=scope)


@router.get("/audit", name="audit.page")
def audit(request: Request, actor: CurrentActor, ctx: Ctx, start: str | None = None, end: str | None = None,
          document: str | None = None, who: str | None = None, action: str | None = None,
          page_no: int = 1) -> Response:
    query = _audit_query(start, end, document, who, action, actor.scope)
    with transaction(ctx.sessions) as db:
        rows, more = audit_page(db, query, page_no)
    return page(request, "audit.html", {"rows": rows, "more": more, "page_no": max(1, page_no),
                                        "params": request.query_params})


@router.get("/audit/export.csv", name="audit.export")
def audit_export(actor: CurrentActor, ctx: Ctx, start: str | None = None, end: str | None = None,
                 document: str | None = None, who: str | None = None, action: str | None = None) -> Response:
    query = _audit_query(start, end, document, who, action, actor.scope)
    with transaction(ctx.sessions) as db:
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="audit_export",
                     changes={"start": str(query.start), "end": str(query.end), "document": query.document_id,
                              "sites": query.scope.label()})
    stamp = ctx.clock().strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(export_csv(ctx.sessions, query), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})


@router.get("/help", name="help.page")
def help_page(request: Request, actor: CurrentActor) -> Response:
    return page(request, "help.html", {})


@router.get("/upload", name="upload.form")
def upload_form(request: Request, actor: CurrentActor, done: str | None = None, doc: int | None = None) -> Response:
    return page(request, "upload.html", {"done": DONE.get(done or ""), "doc": doc, "error": None})


@router.post("/upload", name="upload.submit")
async def upload_submit(request: Request, actor: CurrentActor, ctx: Ctx,
                        file: Annotated[UploadFile, File()]) -> Response:
    data = await file.read(ctx.max_upload_bytes + 1)
    try:
        result = await run_in_threadpool(upload, ctx, actor, data, file.filename)
    except InvalidInput as exc:
        return page(request, "upload.html", {"done": None, "doc": None, "error": exc.message}, status_code=422)
    if result.outcome == "refused":
        return page(request, "upload.html", {"done": None, "doc": result.document_id,
                                             "error": f"Refused: {result.reason}"}, status_code=422)
    return see_other(f"/upload?done=uploaded&doc={result.document_id}")
