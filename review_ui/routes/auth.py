"""Sign in (password, then the second factor for managers and admins), enrol a second factor, sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from models.audit import append_audit
from models.db import transaction
from models.users import User
from review_ui.auth import totp
from review_ui.auth.csrf import same_origin, tokens_match
from review_ui.auth.sessions import PRE_COOKIE, SESSION_COOKIE, find_session, open_session, revoke
from review_ui.auth.signin import check_password, complete_signin, consume_code, needs_mfa
from review_ui.deps import GuardError, Visitor, app_context, signer, visitor
from review_ui.rendering import page
from review_ui.routes.common import CurrentActor, client_address, safe_next, see_other, set_session_cookie

router = APIRouter()
Guest = Annotated[Visitor, Depends(visitor)]
MAX_MFA_TRIES = 5


def _origin_ok(request: Request) -> None:
    if not same_origin(request.headers.get("origin"), f"{request.url.scheme}://{request.url.netloc}"):
        raise GuardError(403, "This request came from another site and was refused.")


@router.get("/healthz", name="health", include_in_schema=False)
def health(guest: Guest) -> dict[str, str]:
    return {"status": "ok"}


@router.get("/login", name="auth.login_form", include_in_schema=False)
def login_form(request: Request, guest: Guest, next: str | None = None) -> Response:
    if guest.actor is not None:
        return see_other(safe_next(next))
    cookie = request.cookies.get(PRE_COOKIE)
    token = guest.pre_csrf
    if token is None:
        cookie = signer(request).new_pre_cookie()
        token = signer(request).pre_csrf(cookie)
    response = page(request, "login.html", {"csrf": token, "next": safe_next(next), "error": None})
    if cookie != request.cookies.get(PRE_COOKIE) and cookie is not None:
        response.set_cookie(PRE_COOKIE, cookie, httponly=True, samesite="lax",
                            secure=app_context(request).secure_cookies, path="/login", max_age=3600)
    return response


@router.post("/login", name="auth.login", include_in_schema=False)
def login(request: Request, guest: Guest, username: Annotated[str, Form(max_length=80)],
          password: Annotated[str, Form(max_length=200)], csrf_token: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/queue") -> Response:
    _origin_ok(request)
    if not tokens_match(guest.pre_csrf, csrf_token):
        raise GuardError(403, "The sign-in form is out of date; reload the page and try again.")
    ctx = app_context(request)
    throttle = request.app.state.throttle
    address = client_address(request)
    wait = throttle.retry_after(address, username)
    if wait:
        response = page(request, "login.html", {"csrf": csrf_token, "next": safe_next(next),
                                                "error": f"Too many attempts. Try again in {wait} seconds."},
                        status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    now = ctx.clock()
    with transaction(ctx.sessions) as db:
        outcome = check_password(db, username, password, now=now)
        if outcome.user is None:
            throttle.failed(address, username)
        else:
            user = outcome.user
            _end_presented_session(request, db)
            mfa = needs_mfa(user)
            token, _ws = open_session(db, user, now=now, lifetime=ctx.session_lifetime, mfa_verified=not mfa,
                                      user_agent=request.headers.get("user-agent"))
            if not mfa:
                complete_signin(db, user, now=now, method="password")
            enrolled = bool(user.totp_secret and user.mfa_enabled)
    if outcome.user is None:
        return page(request, "login.html", {"csrf": csrf_token, "next": safe_next(next), "error": outcome.message},
                    status_code=401)
    throttle.succeeded(username)
    target = safe_next(next) if not mfa else (f"/login/mfa?next={safe_next(next)}" if enrolled
                                              else f"/login/enrol?next={safe_next(next)}")
    response = see_other(target)
    set_session_cookie(request, response, token)
    response.delete_cookie(PRE_COOKIE, path="/login")
    return response


def _end_presented_session(request: Request, db: Session) -> None:
    """Whatever session cookie came with the sign-in is ended: a planted one never becomes signed in."""
    ctx = app_context(request)
    token = signer(request).session_token(request.cookies.get(SESSION_COOKIE))
    ws = find_session(db, token, now=ctx.clock(), idle=ctx.session_lifetime)
    if ws is not None:
        revoke(db, ws, now=ctx.clock())


@router.get("/login/mfa", name="auth.mfa_form", include_in_schema=False)
def mfa_form(request: Request, guest: Guest, next: str | None = None) -> Response:
    if guest.pending is None:
        return see_other("/login")
    return page(request, "mfa.html", {"csrf": guest.pending.csrf_token, "next": safe_next(next), "error": None,
                                      "enrol": None})


@router.post("/login/mfa", name="auth.mfa", include_in_schema=False)
def mfa(request: Request, guest: Guest, code: Annotated[str, Form(max_length=12)],
        csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/queue") -> Response:
    return _second_factor(request, guest, code, csrf_token, next)


@router.get("/login/enrol", name="auth.enrol_form", include_in_schema=False)
def enrol_form(request: Request, guest: Guest, next: str | None = None) -> Response:
    if guest.pending is None:
        return see_other("/login")
    ctx = app_context(request)
    with transaction(ctx.sessions) as db:
        user = db.get(User, guest.pending.user_id)
        if user is None:
            return see_other("/login")
        if user.totp_secret and user.mfa_enabled:
            return see_other(f"/login/mfa?next={safe_next(next)}")
        # Trust on first use: shown once, to the person who has just proved the password.
        secret = totp.new_secret()
        user.totp_secret = totp.encrypt_secret(ctx.secret, secret)
        user.mfa_enabled = False
    enrol = {"secret": secret, "uri": totp.provisioning_uri(secret, guest.pending.username)}
    return page(request, "mfa.html", {"csrf": guest.pending.csrf_token, "next": safe_next(next), "error": None,
                                      "enrol": enrol})


@router.post("/login/enrol", name="auth.enrol", include_in_schema=False)
def enrol(request: Request, guest: Guest, code: Annotated[str, Form(max_length=12)],
          csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/queue") -> Response:
    return _second_factor(request, guest, code, csrf_token, next)


def _second_factor(request: Request, guest: Visitor, code: str, csrf_token: str, next_url: str) -> Response:
    _origin_ok(request)
    pending = guest.pending
    if pending is None:
        return see_other("/login")
    if not tokens_match(pending.csrf_token, csrf_token):
        raise GuardError(403, "The form is out of date; sign in again.")
    ctx = app_context(request)
    throttle = request.app.state.throttle
    address = client_address(request)
    now = ctx.clock()
    wait = throttle.retry_after(address, "totp:" + pending.username)
    with transaction(ctx.sessions) as db:
        user = db.get(User, pending.user_id)
        ok = wait == 0 and user is not None and consume_code(user, ctx.secret, code)
        old = find_session(db, signer(request).session_token(request.cookies.get(SESSION_COOKIE)),
                           now=now, idle=ctx.session_idle)
        if old is not None and (ok or wait):
            revoke(db, old, now=now)
        if not ok or user is None:
            throttle.failed(address, "totp:" + pending.username)
            if user is not None:
                append_audit(db, actor=f"user:{user.username}", user_id=user.id, action="totp_failed")
        else:
            if not user.mfa_enabled:
                user.mfa_enabled = True
                append_audit(db, actor=f"user:{user.username}", user_id=user.id, action="mfa_enrolled")
            token, _ws = open_session(db, user, now=now, lifetime=ctx.session_lifetime, mfa_verified=True,
                                      user_agent=request.headers.get("user-agent"))
            complete_signin(db, user, now=now, method="password+totp")
    if not ok:
        if wait:
            return see_other("/login")
        return page(request, "mfa.html", {"csrf": pending.csrf_token, "next": safe_next(next_url),
                                          "error": "That code is wrong or was already used. Wait for the next one.",
                                          "enrol": None}, status_code=401)
    throttle.succeeded("totp:" + pending.username)
    response: RedirectResponse = see_other(safe_next(next_url))
    set_session_cookie(request, response, token)
    return response


@router.post("/logout", name="auth.logout", include_in_schema=False)
def logout(request: Request, actor: CurrentActor) -> Response:
    ctx = app_context(request)
    with transaction(ctx.sessions) as db:
        token = signer(request).session_token(request.cookies.get(SESSION_COOKIE))
        ws = find_session(db, token, now=ctx.clock(), idle=ctx.session_lifetime)
        if ws is not None:
            revoke(db, ws, now=ctx.clock())
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="logout")
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
