"""Who may do what: the roles of the review application."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"


# Authority grows along this order; an auditor reads everything and acts on nothing.
ACTING_ROLES: tuple[Role, ...] = (Role.CLERK, Role.MANAGER, Role.ADMIN)


def role_at_least(role: Role, required: Role) -> bool:
    """True when ``role`` may act where ``required`` is asked (auditors never act)."""
    if role is Role.AUDITOR or required is Role.AUDITOR:
        return role is required
    return ACTING_ROLES.index(role) >= ACTING_ROLES.index(required)
