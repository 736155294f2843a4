"""The guard every route goes through: who is asking, is the request genuine, and may they do this.

Order: signed in (401 / sign-in page) → CSRF token and Origin on state-changing requests (403) →
the policy row for the route and the role (403) → the object exists and, for a document, lies within
the user's sites (404 either way: a document of another clinic is indistinguishable from none) → it is
the user's own or someone else's as the row asks (403). The services then apply the per-invoice rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import RoleChange, WebSession
from models.db import transaction
from models.documents import Document
from models.review import ReviewTask
from models.roles import Role
from models.users import SavedView, User
from review_ui.auth.csrf import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, same_origin, tokens_match
from review_ui.auth.sessions import PRE_COOKIE, SESSION_COOKIE, CookieSigner, find_session
from review_ui.context import AppContext
from review_ui.policy import Access, Rule, Subject, rule_for
from review_ui.sites import EVERY_SITE, SiteScope

MFA_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
MAX_ID = 2**63 - 1  # BIGINT's ceiling on PostgreSQL; SQLite's integers stop there too


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the request sees them (a detached snapshot, safe to pass to threads)."""

    user_id: int
    username: str
    display_name: str
    role: Role
    approval_limit: Decimal | None
    mfa_enabled: bool
    session_id: str
    csrf_token: str
    mfa_verified_at: datetime | None
    # The sites whose documents this user sees and acts on (``review_ui.sites``: everywhere by default,
    # which is what ``User.sites == []`` means).
    scope: SiteScope = EVERY_SITE

    @property
    def name(self) -> str:
        return f"user:{self.username}"


@dataclass(frozen=True)
class Visitor:
    """Whoever reaches a public page: maybe signed in, maybe half-way (second factor owed)."""

    actor: Actor | None
    pending: Actor | None
    pre_csrf: str | None


class GuardError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def app_context(request: Request) -> AppContext:
    return cast(AppContext, request.app.state.ctx)


def signer(request: Request) -> CookieSigner:
    return cast(CookieSigner, request.app.state.signer)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _route_rule(request: Request) -> Rule:
    route = request.scope.get("route")
    return rule_for(getattr(route, "name", "") or "")


def _actor(user: User, ws: WebSession) -> Actor:
    return Actor(user.id, user.username, user.display_name, Role(user.role), user.approval_limit,
                 bool(user.mfa_enabled), ws.id, ws.csrf_token, ws.mfa_verified_at, SiteScope.of(user.sites))


def _load_session(ctx: AppContext, token: str | None) -> tuple[Actor | None, Actor | None]:
    """(signed-in actor, half-signed-in actor owing a second factor)."""
    if not token:
        return None, None
    with transaction(ctx.sessions) as db:
        ws = find_session(db, token, now=ctx.clock(), idle=ctx.session_idle)
        if ws is None:
            return None, None
        user = db.get(User, ws.user_id)
        if user is None or not user.active:
            return None, None
        actor = _actor(user, ws)
        if Role(user.role) in MFA_ROLES and ws.mfa_verified_at is None:
            return None, actor
        return actor, None


async def _presented_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request, expected: str | None) -> None:
    if request.method in SAFE_METHODS:
        return
    host_url = f"{request.url.scheme}://{request.url.netloc}"
    if not same_origin(request.headers.get("origin"), host_url):
        raise GuardError(403, "This request came from another site and was refused.")
    if not tokens_match(expected, await _presented_csrf(request)):
        raise GuardError(403, "The form's security token is missing or out of date; reload the page and try again.")


def _owner(db: Session, subject: Subject, params: dict[str, Any], scope: SiteScope) -> tuple[bool, int | None]:
    """(the object exists for this user, whose it is)."""
    key = {Subject.DOCUMENT: "document_id", Subject.VIEW: "view_id", Subject.USER: "user_id",
           Subject.ROLE_CHANGE: "change_id"}[subject]
    try:
        ident = int(params[key])
    except (KeyError, ValueError):
        return False, None
    if not 0 < ident <= MAX_ID:
        return False, None  # no row has such an id, and the database would refuse the number itself
    if subject is Subject.DOCUMENT:
        site = db.execute(select(Document.site).where(Document.id == ident)).one_or_none()
        if site is None or not scope.allows(site[0]):
            return False, None
        owner = db.execute(select(ReviewTask.assignee_id)
                           .where(ReviewTask.document_id == ident, ReviewTask.status == "open")
                           .order_by(ReviewTask.id.desc()).limit(1)).scalar()
        return True, owner
    if subject is Subject.VIEW:
        view = db.get(SavedView, ident)
        return (view is not None), (view.user_id if view else None)
    if subject is Subject.USER:
        return (db.get(User, ident) is not None), ident
    change = db.get(RoleChange, ident)
    return (change is not None), (change.user_id if change else None)


def _check_object(ctx: AppContext, rule: Rule, access: Access, actor: Actor, params: dict[str, Any]) -> None:
    if rule.subject is Subject.NONE:
        return
    with transaction(ctx.sessions) as db:
        found, owner = _owner(db, rule.subject, params, actor.scope)
    if not found:
        raise GuardError(404, "There is no such item.")
    if access is Access.OWN and owner not in (None, actor.user_id):
        raise GuardError(403, "This item is assigned to someone else; ask a manager to re-assign it.")
    if access is Access.OTHERS and owner == actor.user_id:
        raise GuardError(403, "Nobody may do this to their own account; another administrator has to.")


async def authorised(request: Request) -> Actor:
    """The dependency of every signed-in route."""
    ctx = app_context(request)
    rule = _route_rule(request)
    token = signer(request).session_token(request.cookies.get(SESSION_COOKIE))
    actor, _pending = await run_in_threadpool(_load_session, ctx, token)
    if actor is None:
        raise GuardError(401, "Please sign in.")
    await check_csrf(request, actor.csrf_token)
    access = rule.for_role(actor.role)
    if access is Access.NONE:
        raise GuardError(403, f"Your role ({actor.role.value}) may not do this.")
    await run_in_threadpool(_check_object, ctx, rule, access, actor, dict(request.path_params))
    request.state.actor = actor
    return actor


async def visitor(request: Request) -> Visitor:
    """The dependency of the public sign-in pages; their CSRF checks happen in the routes."""
    ctx = app_context(request)
    rule = _route_rule(request)
    if not rule.public:
        raise GuardError(500, "a public dependency on a route the policy does not make public")
    token = signer(request).session_token(request.cookies.get(SESSION_COOKIE))
    actor, pending = await run_in_threadpool(_load_session, ctx, token)
    return Visitor(actor, pending, signer(request).pre_csrf(request.cookies.get(PRE_COOKIE)))
