"""Saved views: a user's named queue filters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import transaction
from models.users import SavedView
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput, NotFound
from review_ui.services.queue import QueueFilter

MAX_VIEWS = 50


def list_views(db: Session, user_id: int) -> list[SavedView]:
    return list(db.execute(select(SavedView).where(SavedView.user_id == user_id)
                           .order_by(SavedView.name)).scalars())


def save_view(ctx: AppContext, actor: Actor, name: str, params: dict[str, str]) -> SavedView:
    name = " ".join(name.split())[:80]
    if not name:
        raise InvalidInput("give the view a name", {"name": "required"})
    # Re-serialised through the filter: only known keys and valid values are kept.
    query = QueueFilter.from_params(params).query(page=1)
    with transaction(ctx.sessions) as db:
        views = list_views(db, actor.user_id)
        existing = next((v for v in views if v.name.lower() == name.lower()), None)
        if existing is not None:
            existing.query = query
            return existing
        if len(views) >= MAX_VIEWS:
            raise InvalidInput(f"at most {MAX_VIEWS} saved views; delete one first")
        view = SavedView(user_id=actor.user_id, name=name, query=query)
        db.add(view)
        db.flush()
        return view


def delete_view(ctx: AppContext, actor: Actor, view_id: int) -> None:
    with transaction(ctx.sessions) as db:
        view = db.get(SavedView, view_id)
        if view is None or view.user_id != actor.user_id:
            raise NotFound("there is no such saved view of yours")
        db.delete(view)
