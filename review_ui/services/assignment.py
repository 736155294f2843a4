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


def claim(ctx: AppContext, actor: Actor, document_id: int) -> None:
    _set_assignee(ctx, actor, document_id, actor.user_id, "claim")


def unassign(ctx: AppContext, actor: Actor, document_id: int) -> None:
    _set_assignee(ctx, actor, document_id, None, "unassign")


def assign(ctx: AppContext, actor: Actor, document_id: int, username: str) -> None:
    with transaction(ctx.sessions) as db:
        user = find_user(db, username)
        if user is None or not user.active or user.role == Role.AUDITOR.value:
            raise InvalidInput(f"there is no active clerk, manager or admin called {username!r}",
                               {"assignee": "unknown user"})
        target = user.id
    _set_assignee(ctx, actor, document_id, target, "assign")


def _set_assignee(ctx: AppContext, actor: Actor, document_id: int, target: int | None, action: str) -> None:
    with transaction(ctx.sessions) as db:
        lock_document(db, document_id)
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
