"""Users: creation, the access review report, password changes, role changes under four eyes (one admin
asks, another approves; nobody approves a change of their own role), and the sites each user works for
(``review_ui.sites``: nobody changes their own, nobody grants a site they do not have themselves)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import RoleChange, WebSession
from models.audit import append_audit
from models.db import transaction
from models.documents import Document
from models.errors import NotAuthorised, StateConflict
from models.mirror import Site
from models.review import ReviewTask
from models.roles import Role
from models.users import User
from review_ui.auth import totp
from review_ui.auth.passwords import WeakPassword, hash_password, verify_password
from review_ui.auth.sessions import revoke_all
from review_ui.auth.signin import MFA_ROLES, find_user
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput, NotFound
from review_ui.services.preconditions import require_reason
from review_ui.sites import EVERY_SITE, SiteScope, parse_sites

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


@dataclass(frozen=True)
class NewUser:
    user_id: int
    username: str
    totp_secret: str | None
    totp_uri: str | None
    sites: tuple[str, ...] = ()  # empty: the whole group


def create_user(db: Session, app_secret: str, *, username: str, role: Role, password: str,
                display_name: str | None = None, approval_limit: Decimal | None = None,
                email: str | None = None, sites: list[str] | None = None, actor: str = "system:cli",
                actor_id: int | None = None) -> NewUser:
    """A new user; managers and admins get a TOTP secret, returned once for enrolment. ``sites``: the
    site codes they work for (none or empty: the whole group)."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInput("a user name is 2-80 characters: letters, digits, dot, dash, underscore")
    if find_user(db, username) is not None:
        raise InvalidInput(f"there is already a user called {username}")
    if approval_limit is not None and approval_limit < 0:
        raise InvalidInput("an approval limit cannot be negative")
    site_list = canonical_sites(db, sites or [])
    secret = totp.new_secret() if role.value in MFA_ROLES else None
    user = User(username=username, display_name=(display_name or username)[:120], email=email,
                password_hash=hash_password(password), role=role.value, approval_limit=approval_limit,
                totp_secret=totp.encrypt_secret(app_secret, secret) if secret else None,
                mfa_enabled=secret is not None, active=True, failed_logins=0, sites=site_list)
    db.add(user)
    db.flush()
    append_audit(db, actor=actor, user_id=actor_id, action="user_created",
                 changes={"user": username, "role": role.value,
                          "approval_limit": str(approval_limit) if approval_limit is not None else None,
                          "mfa": secret is not None, "sites": site_list or "all"})
    return NewUser(user.id, username, secret, totp.provisioning_uri(secret, username) if secret else None,
                   tuple(site_list))


@dataclass(frozen=True)
class UserReportRow:
    id: int
    username: str
    display_name: str
    role: str
    approval_limit: Decimal | None
    active: bool
    mfa: str  # enrolled | owed | not required
    last_sign_in: datetime | None
    locked_until: datetime | None
    open_sessions: int
    created_at: datetime
    sites: tuple[str, ...] | None  # None: every site

    @property
    def sites_label(self) -> str:
        return SiteScope(frozenset(self.sites) if self.sites is not None else None).label()


def users_report(db: Session, now: datetime) -> list[UserReportRow]:
    sessions = dict(db.execute(select(WebSession.user_id, func.count()).where(
        WebSession.revoked_at.is_(None), WebSession.expires_at > now).group_by(WebSession.user_id)).tuples().all())
    rows = []
    for u in db.execute(select(User).order_by(User.username)).scalars():
        required = u.role in MFA_ROLES
        mfa = "enrolled" if u.totp_secret and u.mfa_enabled else ("owed" if required else "not required")
        rows.append(UserReportRow(u.id, u.username, u.display_name, u.role, u.approval_limit, u.active, mfa,
                                  u.last_login_at, u.locked_until if u.locked_until and u.locked_until > now
                                  else None, int(sessions.get(u.id, 0)), u.created_at,
                                  _sites(SiteScope.of(u.sites))))
    return rows


def _sites(scope: SiteScope) -> tuple[str, ...] | None:
    return None if scope.sites is None else tuple(sorted(scope.sites))


def known_sites(db: Session) -> list[str]:
    """Site codes the system knows: the ERP's warehouses and the sites documents were matched to."""
    # Matching labels a document with the warehouse's code, or its name where it has no code.
    codes = {code or name for code, name in db.execute(select(Site.code, Site.name)).tuples() if code or name}
    codes |= {c for c in db.execute(select(Document.site).where(Document.site.is_not(None)).distinct()).scalars()
              if c}
    return sorted(codes)


def canonical_sites(db: Session, codes: list[str]) -> list[str]:
    """The codes as the system spells them (``ham`` → ``HAM`` when the ERP calls it that), sorted and
    without repeats; a code nobody knows yet is kept as given (a clinic whose first invoice is still to
    come), and the caller says so."""
    known = {c.casefold(): c for c in known_sites(db)}
    return sorted({known.get(c.strip().casefold(), c.strip()) for c in codes if c.strip()})


@dataclass(frozen=True)
class SitesChange:
    username: str
    before: list[str]
    after: list[str]
    unknown: list[str]  # codes no warehouse or document has (yet): likely a typo
    released: list[int]  # open items given back to the queue: now outside the user's sites


def set_sites(db: Session, user: User, sites: list[str], *, actor: str, actor_id: int | None,
              actor_scope: SiteScope = EVERY_SITE) -> SitesChange:
    """Set the sites ``user`` works for ([]: the whole group). Items assigned to them at sites they lose
    go back to the queue (audited), so nothing waits on someone who can no longer open it."""
    if actor_id is not None and actor_id == user.id:
        raise NotAuthorised("nobody changes their own sites; another administrator has to")
    after = canonical_sites(db, sites)
    new_scope = SiteScope.of(after)
    if not actor_scope.covers(new_scope):
        raise NotAuthorised(f"you work for {actor_scope.describe()}; you cannot give anyone "
                            f"{new_scope.describe()}")
    before = list(user.sites or [])
    if sorted(before) == after:
        raise InvalidInput(f"{user.username} already works for {new_scope.describe()}", {"sites": "unchanged"})
    known = set(known_sites(db))
    user.sites = after
    released: list[int] = []
    for task, site in db.execute(select(ReviewTask, Document.site).join(Document, Document.id == ReviewTask.document_id)
                                 .where(ReviewTask.status == "open", ReviewTask.assignee_id == user.id)):
        if not new_scope.allows(site):
            task.assignee_id = None
            released.append(task.document_id)
            append_audit(db, actor=actor, user_id=actor_id, document_id=task.document_id, action="unassign",
                         reason=f"{user.username} no longer works for this site",
                         changes={"assignee": {"from": user.username, "to": None}})
    append_audit(db, actor=actor, user_id=actor_id, action="user_sites_changed",
                 changes={"user": user.username, "sites": {"from": before or "all", "to": after or "all"},
                          "released": released})
    return SitesChange(user.username, before, after, [c for c in after if c not in known], released)


def change_sites(ctx: AppContext, actor: Actor, user_id: int, text: str) -> SitesChange:
    """The admin screen's form: ``HAM,BER`` or ``all``."""
    try:
        sites = parse_sites(text)
    except ValueError as exc:
        raise InvalidInput(str(exc), {"sites": "format"}) from exc
    with transaction(ctx.sessions) as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound(f"there is no user {user_id}")
        return set_sites(db, user, sites, actor=actor.name, actor_id=actor.user_id, actor_scope=actor.scope)


def pending_role_changes(db: Session) -> list[RoleChange]:
    return list(db.execute(select(RoleChange).where(RoleChange.status == "pending")
                           .order_by(RoleChange.requested_at)).scalars())


def request_role_change(ctx: AppContext, actor: Actor, user_id: int, role: str, limit: Decimal | None,
                        reason: str | None) -> int:
    why = require_reason(reason, "change this role")
    if role not in Role.__members__.values():
        raise InvalidInput(f"{role!r} is not a role", {"role": "unknown"})
    if limit is not None and limit < 0:
        raise InvalidInput("an approval limit cannot be negative", {"limit": "negative"})
    if user_id == actor.user_id:
        raise NotAuthorised("nobody may change their own role")
    with transaction(ctx.sessions) as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound(f"there is no user {user_id}")
        if user.role == role and user.approval_limit == limit:
            raise InvalidInput("that is already the user's role and limit")
        change = RoleChange(user_id=user_id, from_role=user.role, to_role=role, from_limit=user.approval_limit,
                            to_limit=limit, reason=why, requested_by=actor.user_id, requested_at=ctx.clock(),
                            status="pending")
        db.add(change)
        db.flush()
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="role_change_requested", reason=why,
                     changes={"user": user.username, "role": {"from": user.role, "to": role},
                              "approval_limit": {"from": _s(user.approval_limit), "to": _s(limit)},
                              "request": change.id})
        return change.id


def decide_role_change(ctx: AppContext, actor: Actor, change_id: int, *, approve: bool) -> None:
    with transaction(ctx.sessions) as db:
        change = db.get(RoleChange, change_id)
        if change is None:
            raise NotFound(f"there is no role change {change_id}")
        if change.status != "pending":
            raise StateConflict(f"role change {change_id} is already {change.status}")
        if change.user_id == actor.user_id:
            raise NotAuthorised("nobody approves a change of their own role")
        if approve and change.requested_by == actor.user_id:
            raise NotAuthorised("the admin who asked for a role change cannot also approve it")
        user = db.get(User, change.user_id)
        if user is None:
            raise NotFound("the user no longer exists")
        now = ctx.clock()
        change.status, change.decided_by, change.decided_at = ("approved" if approve else "refused"), \
            actor.user_id, now
        if approve:
            user.role, user.approval_limit, user.role_changed_by = change.to_role, change.to_limit, actor.user_id
            if change.to_role in MFA_ROLES and not user.totp_secret:
                user.mfa_enabled = False  # they enrol a second factor at their next sign-in
            revoke_all(db, user.id, now=now)
        append_audit(db, actor=actor.name, user_id=actor.user_id,
                     action="role_change_approved" if approve else "role_change_refused",
                     changes={"user": user.username, "role": {"from": change.from_role, "to": change.to_role},
                              "approval_limit": {"from": _s(change.from_limit), "to": _s(change.to_limit)},
                              "request": change.id})


def deactivate(ctx: AppContext, actor: Actor, user_id: int) -> None:
    with transaction(ctx.sessions) as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound(f"there is no user {user_id}")
        user.active = False
        revoke_all(db, user.id, now=ctx.clock())
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="user_deactivated",
                     changes={"user": user.username})


def reset_mfa(ctx: AppContext, actor: Actor, user_id: int) -> None:
    """A lost phone: the user enrols a new second factor at the next sign-in (and every session ends)."""
    with transaction(ctx.sessions) as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound(f"there is no user {user_id}")
        user.totp_secret, user.mfa_enabled, user.totp_last_step = None, False, None
        revoke_all(db, user.id, now=ctx.clock())
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="mfa_reset",
                     changes={"user": user.username})


def change_password(ctx: AppContext, actor: Actor, current: str, new: str) -> None:
    with transaction(ctx.sessions) as db:
        user = db.get(User, actor.user_id)
        if user is None or not verify_password(user.password_hash, current):
            raise InvalidInput("the current password is wrong", {"current": "wrong"})
        if current == new:
            raise InvalidInput("the new password is the same as the old one", {"new": "unchanged"})
        try:
            user.password_hash = hash_password(new)
        except WeakPassword as exc:
            raise InvalidInput(exc.message, {"new": "too weak"}) from exc
        now = ctx.clock()
        # Other sessions end; this one goes on (the route issues it a fresh token).
        revoke_all(db, user.id, now=now)
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="password_changed")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
