"""Segregation of duties and authority: pure rules over the facts of one invoice and one user.

Sources: the usual AP control set (COSO; SOX 404 practice): whoever changes an invoice or waives one of
its exceptions does not also approve it; approval within a personal limit; changes of bank details
confirmed by a manager with a fresh second factor (the most common payment-fraud route).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from models.holds import HoldCode
from models.roles import Role, role_at_least
from models.states import DocumentState

# Holds that an approval by the right person answers, rather than a separate release.
APPROVAL_HOLDS = frozenset({HoldCode.OVER_AUTHORITY_LIMIT.value})
FRESH_TOTP_HOLDS = frozenset({HoldCode.BANK_DETAILS_CHANGED.value})


@dataclass(frozen=True)
class Person:
    user_id: int
    role: Role
    approval_limit: Decimal | None


@dataclass(frozen=True)
class OpenHold:
    code: str
    release_role: str


@dataclass(frozen=True)
class InvoiceFacts:
    state: str
    total: Decimal | None
    currency: str | None
    open_holds: tuple[OpenHold, ...] = ()
    # Users who saved a correction or released a hold on this document.
    correctors: frozenset[int] = frozenset()
    releasers: frozenset[int] = frozenset()
    uploaded_by: int | None = None
    required_role: Role = Role.CLERK
    # field name -> users who corrected it
    corrected_fields: dict[str, frozenset[int]] = field(default_factory=dict)


def approval_barriers(who: Person, facts: InvoiceFacts) -> list[str]:
    """Why ``who`` may not approve this invoice now; empty when they may."""
    if who.role is Role.AUDITOR:
        return ["auditors read; they do not approve"]
    out: list[str] = []
    if facts.state != DocumentState.IN_REVIEW.value:
        out.append(f"the document is {facts.state.replace('_', ' ')}, not in review")
    blocking = sorted({h.code for h in facts.open_holds if h.code not in APPROVAL_HOLDS})
    if blocking:
        out.append("open holds must be released first: " + ", ".join(blocking))
    needs = facts.required_role
    if any(h.code in APPROVAL_HOLDS for h in facts.open_holds):
        needs = max(needs, Role.MANAGER, key=_rank)
    if not role_at_least(who.role, needs):
        out.append(f"this invoice needs approval by a {needs.value}")
    if who.user_id in facts.correctors:
        out.append("you corrected this invoice; someone else must approve it")
    if who.user_id in facts.releasers:
        out.append("you released one of its holds; someone else must approve it")
    if facts.uploaded_by is not None and who.user_id == facts.uploaded_by:
        out.append("you uploaded this document; someone else must approve it")
    out.extend(_limit_barriers(who, facts))
    return out


def _limit_barriers(who: Person, facts: InvoiceFacts) -> list[str]:
    if facts.total is None:
        return ["the invoice has no total amount; correct it first"]
    if who.approval_limit is None:
        return ["you have no approval limit; ask an administrator to set one"]
    if abs(facts.total) > who.approval_limit:
        return [f"the total {facts.total:,.2f} {facts.currency or ''} is above your approval limit "
                f"{who.approval_limit:,.2f}".replace("  ", " ")]
    return []


def release_barriers(who: Person, code: str, release_role: str, facts: InvoiceFacts, *,
                     fresh_totp: bool) -> list[str]:
    """Why ``who`` may not release this hold now; empty when they may."""
    if who.role is Role.AUDITOR:
        return ["auditors read; they do not release holds"]
    out: list[str] = []
    if facts.state != DocumentState.IN_REVIEW.value:
        out.append(f"the document is {facts.state.replace('_', ' ')}, not in review")
    if code in APPROVAL_HOLDS:
        out.append("this hold is answered by approving the invoice, not by releasing it")
    if not role_at_least(who.role, Role(release_role)):
        out.append(f"only a {release_role} may release this hold")
    if code in FRESH_TOTP_HOLDS:
        if not role_at_least(who.role, Role.MANAGER):
            out.append("changed bank details are released by a manager")
        elif not fresh_totp:
            out.append("enter a fresh code from your authenticator to release changed bank details")
        if who.user_id in facts.corrected_fields.get("vendor_iban", frozenset()):
            out.append("you changed the IBAN yourself; another manager must confirm it")
    return out


def _rank(role: Role) -> int:
    return {Role.CLERK: 0, Role.MANAGER: 1, Role.ADMIN: 2, Role.AUDITOR: -1}[role]
