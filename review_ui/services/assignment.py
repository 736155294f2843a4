"""Who works on what: claim an item, give it back, or (managers) assign it to someone."""

from __future__ import annotations

from models.audit import append_audit
from models.db import transaction
from models.errors import StateConflict
from models.roles import Role
from models.users import User
from review_ui.auth.signin import find_user
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput
from review_ui.services.facts import lock_document, open_task
from review_ui.sites import SiteScope


def claim(ctx: AppContext, actor: Actor, document_id: int) -> None:
    _set_assignee(ctx, actor, document_id, actor.user_id, "claim")


def unassign(ctx: AppContext, actor: Actor, document_id: int) -> None:
    _set_assignee(ctx, actor, document_id, None, "unassign")


def assign(ctx: AppContext, actor: Actor, document_id: int, username: str) -> None:
    """To another person, who must be able to work on it: an active clerk, manager or admin whose sites
    include the document's (an item given to someone who cannot open it would sit there unseen)."""
    with transaction(ctx.sessions) as db:
        user = find_user(db, username)
        if user is None or not user.active or user.role == Role.AUDITOR.value:
            raise InvalidInput(f"there is no active clerk, manager or admin called {username!r}",
                               {"assignee": "unknown user"})
        target, target_scope = user.id, SiteScope.of(user.sites)
    _set_assignee(ctx, actor, document_id, target, "assign", target_scope=target_scope, target_name=username)


def _set_assignee(ctx: AppContext, actor: Actor, document_id: int, target: int | None, action: str, *,
                  target_scope: SiteScope | None = None, target_name: str = "") -> None:
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        if target_scope is not None and not target_scope.allows(doc.site):
            where = f"site {doc.site}" if doc.site else "a document whose site is not known yet"
            raise InvalidInput(f"{target_name} works for {target_scope.describe()} only and cannot see {where}; "
                               "assign it to someone at that site, or widen their sites first",
                               {"assignee": "not at this site"})
        task = open_task(db, document_id)
        if task is None:
            raise StateConflict(f"document {document_id} has no open review task")
        before = task.assignee_id
        if before == target:
            return
        task.assignee_id = target
        names = {u.id: u.username for u in (db.get(User, i) for i in (before, target) if i) if u}
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id, action=action,
                     changes={"assignee": {"from": names.get(before) if before else None,
                                           "to": names.get(target) if target else None}})
