"""Sign-in sessions: a random token in a signed, HttpOnly, SameSite cookie; its hash keys a database row.

A new token is issued at every step up (password, then second factor), so a token planted in a browser
before sign-in is never the one that becomes signed in (session fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from models.access import WebSession
from models.users import User
from review_ui.auth.keys import derive_key

SESSION_COOKIE = "payables_session"
PRE_COOKIE = "payables_pre"
# Touching last_seen on every request would write on every page view; once a minute is enough for idling.
_TOUCH_EVERY = timedelta(seconds=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CookieSigner:
    def __init__(self, app_secret: str, lifetime: timedelta) -> None:
        self._session = URLSafeTimedSerializer(derive_key(app_secret, "session-cookie"), salt="session")
        self._pre = URLSafeTimedSerializer(derive_key(app_secret, "pre-session-cookie"), salt="pre")
        self._csrf_key = derive_key(app_secret, "pre-session-csrf")
        self._max_age = int(lifetime.total_seconds())

    def sign_session(self, token: str) -> str:
        return self._session.dumps(token)

    def session_token(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            value = self._session.loads(cookie, max_age=self._max_age)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    # The sign-in form has no session yet; its CSRF token is bound to a signed nonce cookie instead.
    def new_pre_cookie(self) -> str:
        return self._pre.dumps(secrets.token_urlsafe(24))

    def pre_csrf(self, pre_cookie: str | None) -> str | None:
        if not pre_cookie:
            return None
        try:
            nonce = self._pre.loads(pre_cookie, max_age=3600)
        except BadSignature:
            return None
        return hmac.new(self._csrf_key, str(nonce).encode(), hashlib.sha256).hexdigest()


def open_session(db: Session, user: User, *, now: datetime, lifetime: timedelta, mfa_verified: bool,
                 user_agent: str | None) -> tuple[str, WebSession]:
    token = secrets.token_urlsafe(32)
    ws = WebSession(id=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                    expires_at=now + lifetime, mfa_verified_at=now if mfa_verified else None,
                    csrf_token=secrets.token_urlsafe(32), user_agent=(user_agent or "")[:200] or None)
    db.add(ws)
    db.flush()
    return token, ws


def find_session(db: Session, token: str | None, *, now: datetime, idle: timedelta) -> WebSession | None:
    if not token:
        return None
    ws = db.get(WebSession, token_hash(token))
    if ws is None or ws.revoked_at is not None or ws.expires_at <= now or ws.last_seen_at + idle <= now:
        return None
    if now - ws.last_seen_at >= _TOUCH_EVERY:
        ws.last_seen_at = now
    return ws


def revoke(db: Session, ws: WebSession, *, now: datetime) -> None:
    ws.revoked_at = now


def revoke_all(db: Session, user_id: int, *, now: datetime) -> None:
    db.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
               .values(revoked_at=now))
