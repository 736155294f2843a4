"""Templates and the filters they use to show money, dates and ages the way AP reads them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from models.base import utcnow
from models.holds import HOLD_SPECS
from models.roles import Role
from review_ui.deps import Actor
from review_ui.policy import Access, rule_for
from review_ui.shortcuts import PAGES

TEMPLATES = Path(__file__).with_name("templates")


def money(value: Decimal | None, currency: str | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}"
    return f"{text} {currency}" if currency else text


def age(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return "—"
    seconds = ((now or utcnow()) - value).total_seconds()
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def conf(value: float) -> str:
    return f"{round(value * 100)}%"


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def can(actor: Actor | None, route: str) -> bool:
    """Whether the nav shows a link: the same table the server enforces."""
    if actor is None:
        return False
    return rule_for(route).for_role(actor.role) is not Access.NONE


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.autoescape = True
    env.filters.update(money=money, age=age, stamp=stamp, pct=pct, conf=conf, hours=hours)
    env.globals.update(can=can, HOLD_SPECS=HOLD_SPECS, Role=Role, SHORTCUTS=PAGES)
    return templates


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    actor = getattr(request.state, "actor", None)
    base = {"actor": actor, "csrf": actor.csrf_token if actor else context.get("csrf", ""),
            "path": request.url.path}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
