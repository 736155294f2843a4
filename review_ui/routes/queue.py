"""The queue, the approvals inbox, the failures list, saved views and "open the next one"."""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from models.db import transaction
from models.holds import HOLD_SPECS
from review_ui.rendering import page
from review_ui.routes.common import DONE, Ctx, CurrentActor, see_other
from review_ui.services import views as saved_views
from review_ui.services.failures import load_failures
from review_ui.services.queue import SORTS, QueueFilter, load_queue, next_document, sites_and_companies
from review_ui.sites import SiteScope

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(actor: CurrentActor) -> Response:
    return see_other("/queue")


# The filter's site and company lists change when a new clinic starts sending invoices, not per request;
# reading them (a DISTINCT over every document) once a minute keeps the queue page fast. They are kept per
# site scope (a handful of distinct ones in a group), so a clinic's clerk is never offered another's.
_OPTIONS_TTL_S = 60.0


def _filter_options(request: Request, ctx: Ctx, scope: SiteScope) -> tuple[list[str], list[int]]:
    cache: dict[SiteScope, tuple[float, list[str], list[int]]] = getattr(request.app.state, "filter_options", {})
    cached = cache.get(scope)
    if cached is not None and time.monotonic() - cached[0] < _OPTIONS_TTL_S:
        return cached[1], cached[2]
    with transaction(ctx.sessions) as db:
        sites, companies = sites_and_companies(db, scope)
    request.app.state.filter_options = {**cache, scope: (time.monotonic(), sites, companies)}
    return sites, companies


def _queue(request: Request, actor: CurrentActor, ctx: Ctx, *, title: str, f: QueueFilter,
           done: str | None) -> Response:
    sites, companies = _filter_options(request, ctx, actor.scope)
    with transaction(ctx.sessions) as db:
        qp = load_queue(db, f, user_id=actor.user_id, scope=actor.scope, now=ctx.clock(), warning=ctx.sla_warning)
        views = saved_views.list_views(db, actor.user_id)
    return page(request, "queue.html", {
        "q": qp, "f": qp.filter, "views": views, "sites": sites, "companies": companies, "sorts": SORTS,
        "hold_codes": sorted(c.value for c in HOLD_SPECS), "title": title, "done": DONE.get(done or ""),
        "now": ctx.clock(), "base": request.url.path})


@router.get("/queue", name="queue.page")
def queue_page(request: Request, actor: CurrentActor, ctx: Ctx, done: str | None = None) -> Response:
    return _queue(request, actor, ctx, title="Queue", f=QueueFilter.from_params(request.query_params), done=done)


@router.get("/approvals", name="approvals.page")
def approvals_page(request: Request, actor: CurrentActor, ctx: Ctx, done: str | None = None) -> Response:
    params = dict(request.query_params)
    params["queue"] = "approvals"
    return _queue(request, actor, ctx, title="Approvals", f=QueueFilter.from_params(params), done=done)


@router.get("/queue/next", name="queue.next")
def open_next(actor: CurrentActor, ctx: Ctx, after: int | None = None, done: str | None = None,
              queue: str = "all") -> Response:
    with transaction(ctx.sessions) as db:
        target = next_document(db, user_id=actor.user_id, scope=actor.scope, after=after, queue=queue)
    suffix = f"?done={done}" if done in DONE else ""
    if target is None:
        return see_other("/queue?done=queue_empty" if not done else f"/queue?done={done}")
    return see_other(f"/documents/{target}{suffix}")


@router.get("/queue/failures", name="queue.failures")
def failures(request: Request, actor: CurrentActor, ctx: Ctx, kind: str = "failed", page_no: int = 1) -> Response:
    with transaction(ctx.sessions) as db:
        fp = load_failures(db, kind, page_no, actor.scope)
    return page(request, "failures.html", {"fp": fp})


@router.post("/views", name="views.create")
def create_view(actor: CurrentActor, ctx: Ctx, name: Annotated[str, Form(max_length=80)] = "",
                query: Annotated[str, Form(max_length=1000)] = "") -> Response:
    view = saved_views.save_view(ctx, actor, name, dict(parse_qsl(query)))
    return see_other(f"/queue?{view.query}" if view.query else "/queue?done=view_saved")


@router.post("/views/{view_id}/delete", name="views.delete")
def delete_view(view_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    saved_views.delete_view(ctx, actor, view_id)
    return see_other("/queue?done=view_deleted")
