"""Signing in: the password with per-account lock-out, then the second factor for managers and admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.audit import append_audit
from models.roles import Role
from models.users import User
from review_ui.auth import totp
from review_ui.auth.passwords import hash_password, needs_rehash, verify_password

LOCK_AFTER = 10
LOCK_FOR = timedelta(minutes=15)
MFA_ROLES = frozenset({Role.MANAGER.value, Role.ADMIN.value})


@dataclass(frozen=True)
class PasswordOutcome:
    user: User | None
    message: str = ""


def find_user(db: Session, username: str) -> User | None:
    return db.execute(select(User).where(func.lower(User.username) == username.strip().lower())).scalar()


def check_password(db: Session, username: str, password: str, *, now: datetime) -> PasswordOutcome:
    """The user when the password is right and the account usable; otherwise one message for every
    failure, so the page does not tell which user names exist."""
    generic = "The user name or password is wrong."
    user = find_user(db, username)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        return PasswordOutcome(None, "Too many failed sign-ins: this account is locked for a few minutes.")
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        if user is not None:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= LOCK_AFTER:
                user.locked_until = now + LOCK_FOR
                user.failed_logins = 0
            append_audit(db, actor=f"user:{user.username}", user_id=user.id, action="login_failed",
                         reason="locked for 15 minutes" if user.locked_until and user.locked_until > now
                         else None)
        return PasswordOutcome(None, generic)
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return PasswordOutcome(user)


def needs_mfa(user: User) -> bool:
    return user.role in MFA_ROLES or bool(user.mfa_enabled)


def consume_code(user: User, app_secret: str, code: str) -> bool:
    """Accept a TOTP code once: the step is remembered, so the same code cannot be used twice."""
    if not user.totp_secret:
        return False
    step = totp.accept_code(totp.decrypt_secret(app_secret, user.totp_secret), code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def complete_signin(db: Session, user: User, *, now: datetime, method: str) -> None:
    user.last_login_at = now
    append_audit(db, actor=f"user:{user.username}", user_id=user.id, action="login", changes={"method": method})
