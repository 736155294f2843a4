"""The invoice screen and every action on it (HTML forms; the API offers the same in JSON)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from models.db import transaction
from review_ui.deps import GuardError
from review_ui.rendering import page
from review_ui.routes.common import DONE, Ctx, CurrentActor, see_other
from review_ui.services import assignment, decisions, page_images, splitting
from review_ui.services.corrections import CorrectionInput, FieldEdit, save_correction
from review_ui.services.errors import InvalidInput, NotFound
from review_ui.services.history import document_history
from review_ui.services.originals import original_file
from review_ui.services.screen import LINE_COLUMNS, load_screen

router = APIRouter(include_in_schema=False)
Reason = Annotated[str, Form(max_length=2000)]
_LINE_KEY = re.compile(r"^line-(\d{1,3})-([a-z_]+)$")


def screen_response(request: Request, ctx: Ctx, actor: CurrentActor, document_id: int, *,
                    error: str | None = None, fields: dict[str, str] | None = None, status: int = 200,
                    done: str | None = None) -> Response:
    with transaction(ctx.sessions) as db:
        screen = load_screen(db, document_id, actor, now=ctx.clock(), warning=ctx.sla_warning, odoo_url=ctx.odoo_url)
        if screen is None:
            raise GuardError(404, "There is no such document.")
        history = document_history(db, document_id)[-100:]
    return page(request, "document.html", {
        "s": screen, "history": list(reversed(history)), "error": error, "field_errors": fields or {},
        "done": DONE.get(done or ""), "line_columns": LINE_COLUMNS, "dpi": page_images.DEFAULT_DPI,
        "resolutions": page_images.RESOLUTIONS, "now": ctx.clock()}, status_code=status)


@router.get("/documents/{document_id}", name="document.page")
def document_page(request: Request, document_id: int, actor: CurrentActor, ctx: Ctx,
                  done: str | None = None) -> Response:
    return screen_response(request, ctx, actor, document_id, done=done)


@router.get("/documents/{document_id}/history", name="document.history")
def history_page(request: Request, document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    with transaction(ctx.sessions) as db:
        rows = document_history(db, document_id)
    return page(request, "history.html", {"rows": list(reversed(rows)), "document_id": document_id})


@router.get("/documents/{document_id}/pages/{number}.png", name="document.page_image")
async def page_image(document_id: int, number: int, actor: CurrentActor, ctx: Ctx, dpi: int = 110) -> Response:
    try:
        png = await run_in_threadpool(page_images.page_png, ctx, document_id, number, dpi)
    except NotFound as exc:
        raise GuardError(404, exc.message) from exc
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/documents/{document_id}/original", name="document.original")
def original(document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    data, name, media_type = original_file(ctx, document_id)
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"",
        # Even if a browser renders it, it runs nothing and reaches nothing.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


def correction_from_form(form: FormData) -> CorrectionInput:
    header: dict[str, FieldEdit] = {}
    lines: dict[int, dict[str, FieldEdit]] = {}
    deleted: set[int] = set()
    for key, raw in form.multi_items():
        if not isinstance(raw, str) or not key.startswith("field:"):
            if isinstance(raw, str) and key.startswith("delete:"):
                m = _LINE_KEY.match(key[7:] + "-x")
                if m:
                    deleted.add(int(m.group(1)))
            continue
        name = key[6:]
        edit = FieldEdit(raw, _int(form.get(f"page:{name}")), _bbox(form.get(f"bbox:{name}")))
        m = _LINE_KEY.match(name)
        if m:
            lines.setdefault(int(m.group(1)), {})[m.group(2)] = edit
        else:
            header[name] = edit
    count = _int(form.get("line_count"))
    out_lines = None
    if count is not None or lines:
        total = max([count or 0, *(i + 1 for i in lines)])
        out_lines = [({} if i in deleted else lines.get(i, {})) for i in range(min(total, 500))]
        # A deleted line is all-empty; the service drops it.
        for i in deleted:
            if i < len(out_lines):
                out_lines[i] = {name: FieldEdit("") for name in LINE_COLUMNS}
    note = form.get("note")
    return CorrectionInput(header, out_lines, note if isinstance(note, str) else None)


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 6 else None


def _bbox(value: object) -> tuple[float, float, float, float] | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in value.split(","))
    except ValueError:
        return None
    if not all(0 <= v < 20000 for v in (x0, y0, x1, y1)) or x1 < x0 or y1 < y0:
        return None
    return (x0, y0, x1, y1)


@router.post("/documents/{document_id}/correct", name="document.correct")
async def correct(request: Request, document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    edit = correction_from_form(await request.form())
    try:
        await run_in_threadpool(save_correction, ctx, actor, document_id, edit)
    except InvalidInput as exc:
        return await run_in_threadpool(screen_response, request, ctx, actor, document_id, error=exc.message,
                                       fields=exc.fields, status=422)
    return see_other(f"/documents/{document_id}?done=corrected")


@router.post("/documents/{document_id}/rematch", name="document.rematch")
def rematch(document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    decisions.rematch(ctx, actor, document_id)
    return see_other(f"/documents/{document_id}?done=rematch")


@router.post("/documents/{document_id}/holds/{hold_id}/release", name="document.release")
def release(document_id: int, hold_id: int, actor: CurrentActor, ctx: Ctx, reason: Reason = "",
            totp_code: Annotated[str, Form(max_length=12)] = "") -> Response:
    decisions.release_hold(ctx, actor, document_id, hold_id, reason, totp_code or None)
    return see_other(f"/documents/{document_id}?done=released")


@router.post("/documents/{document_id}/approve", name="document.approve")
def approve(document_id: int, actor: CurrentActor, ctx: Ctx, note: Reason = "") -> Response:
    decisions.approve(ctx, actor, document_id, note)
    return see_other(f"/queue/next?after={document_id}&done=approved")


@router.post("/documents/{document_id}/reject", name="document.reject")
def reject(document_id: int, actor: CurrentActor, ctx: Ctx, reason: Reason = "") -> Response:
    decisions.reject(ctx, actor, document_id, reason)
    return see_other(f"/queue/next?after={document_id}&done=rejected")


@router.post("/documents/{document_id}/escalate", name="document.escalate")
def escalate(document_id: int, actor: CurrentActor, ctx: Ctx, reason: Reason = "") -> Response:
    decisions.escalate(ctx, actor, document_id, reason)
    return see_other(f"/queue/next?after={document_id}&done=escalated")


@router.post("/documents/{document_id}/handoff", name="document.handoff")
def handoff(document_id: int, actor: CurrentActor, ctx: Ctx, reason: Reason = "") -> Response:
    decisions.handoff(ctx, actor, document_id, reason)
    return see_other(f"/queue/next?after={document_id}&done=handed_off")


@router.post("/documents/{document_id}/request-info", name="document.request_info")
def request_info(document_id: int, actor: CurrentActor, ctx: Ctx, note: Reason = "") -> Response:
    decisions.request_info(ctx, actor, document_id, note)
    return see_other(f"/queue/next?after={document_id}&done=info_requested")


@router.post("/documents/{document_id}/info-received", name="document.info_received")
def info_received(document_id: int, actor: CurrentActor, ctx: Ctx, note: Reason = "") -> Response:
    decisions.info_received(ctx, actor, document_id, note)
    return see_other(f"/documents/{document_id}?done=info_received")


@router.post("/documents/{document_id}/claim", name="document.claim")
def claim(document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    assignment.claim(ctx, actor, document_id)
    return see_other(f"/documents/{document_id}?done=claimed")


@router.post("/documents/{document_id}/unassign", name="document.unassign")
def unassign(document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    assignment.unassign(ctx, actor, document_id)
    return see_other(f"/documents/{document_id}?done=unassigned")


@router.post("/documents/{document_id}/assign", name="document.assign")
def assign(document_id: int, actor: CurrentActor, ctx: Ctx,
           assignee: Annotated[str, Form(max_length=80)] = "") -> Response:
    assignment.assign(ctx, actor, document_id, assignee)
    return see_other(f"/documents/{document_id}?done=assigned")


@router.post("/documents/{document_id}/retry", name="document.retry")
def retry(document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    decisions.retry_failed(ctx, actor, document_id)
    return see_other(f"/documents/{document_id}?done=retried")


@router.post("/documents/{document_id}/retry-posting", name="document.retry_posting")
def retry_posting(document_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    decisions.retry_posting(ctx, actor, document_id)
    return see_other(f"/documents/{document_id}?done=posting_retried")


@router.post("/documents/{document_id}/split", name="document.split")
def split(document_id: int, actor: CurrentActor, ctx: Ctx,
          ranges: Annotated[str, Form(max_length=200)] = "") -> Response:
    children = splitting.split(ctx, actor, document_id, ranges)
    return see_other(f"/documents/{children[0] if children else document_id}?done=split")


@router.post("/documents/{document_id}/merge", name="document.merge")
def merge(document_id: int, actor: CurrentActor, ctx: Ctx,
          with_: Annotated[str, Form(alias="with", max_length=200)] = "") -> Response:
    others = [int(x) for x in re.findall(r"\d{1,12}", with_)]
    new_id = splitting.merge(ctx, actor, document_id, others)
    return see_other(f"/documents/{new_id}?done=merged")
