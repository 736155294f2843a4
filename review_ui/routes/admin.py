"""User administration (admins; auditors read) and one's own account."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from models.db import transaction
from models.users import User
from review_ui.auth.sessions import open_session
from review_ui.rendering import page
from review_ui.routes.common import DONE, Ctx, CurrentActor, see_other, set_session_cookie
from review_ui.services import accounts
from review_ui.services.errors import InvalidInput

router = APIRouter(include_in_schema=False)


@router.get("/admin/users", name="admin.users")
def users(request: Request, actor: CurrentActor, ctx: Ctx, done: str | None = None) -> Response:
    with transaction(ctx.sessions) as db:
        report = accounts.users_report(db, ctx.clock())
        pending = accounts.pending_role_changes(db)
        names = {r.id: r.username for r in report}
        known = accounts.known_sites(db)
    return page(request, "users.html", {"report": report, "pending": pending, "names": names,
                                        "known_sites": known, "done": DONE.get(done or "")})


def _limit(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise InvalidInput("the approval limit must be a number", {"limit": "not a number"}) from exc
    if not value.is_finite():
        raise InvalidInput("the approval limit must be a number", {"limit": "not a number"})
    return value


@router.post("/admin/users/{user_id}/role-change", name="admin.role_change")
def role_change(user_id: int, actor: CurrentActor, ctx: Ctx, role: Annotated[str, Form(max_length=20)] = "",
                limit: Annotated[str, Form(max_length=30)] = "",
                reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    accounts.request_role_change(ctx, actor, user_id, role, _limit(limit), reason)
    return see_other("/admin/users?done=role_change")


@router.post("/admin/role-changes/{change_id}/approve", name="admin.approve_role_change")
def approve_role_change(change_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    accounts.decide_role_change(ctx, actor, change_id, approve=True)
    return see_other("/admin/users?done=role_decided")


@router.post("/admin/role-changes/{change_id}/refuse", name="admin.refuse_role_change")
def refuse_role_change(change_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    accounts.decide_role_change(ctx, actor, change_id, approve=False)
    return see_other("/admin/users?done=role_decided")


@router.post("/admin/users/{user_id}/sites", name="admin.sites")
def sites(user_id: int, actor: CurrentActor, ctx: Ctx, sites: Annotated[str, Form(max_length=2000)] = "") -> Response:
    change = accounts.change_sites(ctx, actor, user_id, sites)
    return see_other("/admin/users?done=" + ("sites_unknown" if change.unknown else "sites"))


@router.post("/admin/users/{user_id}/deactivate", name="admin.deactivate")
def deactivate(user_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    accounts.deactivate(ctx, actor, user_id)
    return see_other("/admin/users?done=user_updated")


@router.post("/admin/users/{user_id}/reset-mfa", name="admin.reset_mfa")
def reset_mfa(user_id: int, actor: CurrentActor, ctx: Ctx) -> Response:
    accounts.reset_mfa(ctx, actor, user_id)
    return see_other("/admin/users?done=user_updated")


@router.get("/account", name="account.page")
def account(request: Request, actor: CurrentActor, done: str | None = None) -> Response:
    return page(request, "account.html", {"done": DONE.get(done or ""), "error": None})


@router.post("/account/password", name="account.password")
def password(request: Request, actor: CurrentActor, ctx: Ctx, current: Annotated[str, Form(max_length=200)] = "",
             new: Annotated[str, Form(max_length=200)] = "",
             repeat: Annotated[str, Form(max_length=200)] = "") -> Response:
    if new != repeat:
        return page(request, "account.html", {"done": None, "error": "The two new passwords differ."},
                    status_code=422)
    try:
        accounts.change_password(ctx, actor, current, new)
    except InvalidInput as exc:
        return page(request, "account.html", {"done": None, "error": exc.message}, status_code=422)
    with transaction(ctx.sessions) as db:
        user = db.get(User, actor.user_id)
        assert user is not None
        token, _ws = open_session(db, user, now=ctx.clock(), lifetime=ctx.session_lifetime, mfa_verified=True,
                                  user_agent=request.headers.get("user-agent"))
    response = see_other("/account?done=password")
    set_session_cookie(request, response, token)
    return response
