"""Post on its own, or send to a person: and then which person, how urgently, and by when.

An invoice posts on its own only when no hold is open, every required field was read confidently (a
hold otherwise), the amount is within the auto-post limit and the approval matrix asks for no more
than a clerk, and the audit sample did not pick it. Everything else becomes a review task.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from matching.findings import Finding, amt
from matching.policy import Policy
from models.holds import HoldCode
from models.roles import ACTING_ROLES, Role

DEFAULT_PRIORITY = 50


@dataclass(frozen=True)
class Routing:
    decision: str  # auto_approve | review
    required_role: Role
    queue: str  # exceptions | approvals
    priority: int
    due_at: datetime | None
    reasons: tuple[str, ...]

    @property
    def auto_approve(self) -> bool:
        return self.decision == "auto_approve"

    def to_json(self) -> dict[str, Any]:
        return {"decision": self.decision, "required_role": self.required_role.value, "queue": self.queue,
                "priority": self.priority, "due_at": self.due_at.isoformat() if self.due_at else None,
                "reasons": list(self.reasons)}


def matrix_role(policy: Policy, total: Decimal | None, *, category: str | None, site: str | None,
                company: int | None) -> tuple[Role, list[str]]:
    """The approval matrix: the highest role among the entries that apply."""
    role, why = Role.CLERK, []
    for e in policy.approval:
        if e.above is not None and (total is None or abs(total) <= e.above):
            continue
        if e.category is not None and (category or "").casefold() != e.category.casefold():
            continue
        if e.site is not None and (site or "").casefold() != e.site.casefold():
            continue
        if e.company is not None and company != e.company:
            continue
        if ACTING_ROLES.index(e.role) > ACTING_ROLES.index(role):
            role = e.role
        parts = [f"above {amt(e.above)}" if e.above is not None else "",
                 f"category {e.category}" if e.category else "", f"site {e.site}" if e.site else "",
                 f"company {e.company}" if e.company is not None else ""]
        why.append(f"approval matrix ({', '.join(p for p in parts if p)}): {e.role.value}")
    return role, why


def authority_findings(policy: Policy, total: Decimal | None, currency: str | None, *, category: str | None,
                       site: str | None, company: int | None, vendor_limit: Decimal | None,
                       vendor_name: str) -> list[Finding]:
    out: list[Finding] = []
    amount = abs(total) if total is not None else None
    limit = auto_post_limit(policy, currency)
    if amount is not None and limit is not None and amount > limit:
        out.append(Finding(HoldCode.OVER_AUTHORITY_LIMIT,
                           f"The total {amt(amount)} {currency or ''} is above the automatic posting limit of "
                           f"{amt(limit)}: a manager approves it.".replace("  ", " "),
                           measured=amt(amount), limit=amt(limit)))
    else:
        role, why = matrix_role(policy, total, category=category, site=site, company=company)
        if role is not Role.CLERK:
            out.append(Finding(HoldCode.OVER_AUTHORITY_LIMIT, f"The approval matrix asks for a {role.value}: "
                               f"{'; '.join(why)}.", measured=amt(amount), limit=role.value))
    cap = vendor_limit if vendor_limit is not None else (
        None if policy.vendor_limit.default == "off" else Decimal(policy.vendor_limit.default))
    if amount is not None and cap is not None and amount > cap:
        out.append(Finding(HoldCode.VENDOR_AMOUNT_LIMIT, f"The total {amt(amount)} is above the {amt(cap)} set as "
                           f"{vendor_name}'s invoice limit.", measured=amt(amount), limit=amt(cap)))
    return out


def auto_post_limit(policy: Policy, currency: str | None) -> Decimal | None:
    if currency and currency.upper() in policy.auto_post.currency_limits:
        return policy.auto_post.currency_limits[currency.upper()]
    return None if policy.auto_post.amount_limit == "off" else Decimal(policy.auto_post.amount_limit)


def sampled_for_audit(policy: Policy, audit_key: str) -> bool:
    """Deterministic per document: the same document is always picked, or always not."""
    rate = policy.audit.sample_rate
    if rate <= 0:
        return False
    digest = hashlib.sha256(f"{policy.audit.seed}:{audit_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def audit_finding(policy: Policy) -> Finding:
    return Finding(HoldCode.AUDIT_SAMPLE, f"Picked for a second look by the audit sample "
                   f"({policy.audit.sample_rate:.1%} of invoices that would post on their own).")


def route(open_holds: Sequence[Finding], policy: Policy, now: datetime, *,
          matrix: Role = Role.CLERK) -> Routing:
    if not open_holds:
        return Routing("auto_approve", Role.CLERK, "exceptions", 0, None, ("no open holds",))
    role = matrix
    for f in open_holds:
        r = Role(f.release_role)
        if ACTING_ROLES.index(r) > ACTING_ROLES.index(role):
            role = r
    codes = [f.code.value for f in open_holds]
    priority = max(policy.routing.priority_by_code.get(c, DEFAULT_PRIORITY) for c in codes)
    hours = min(policy.routing.sla_hours_by_code.get(c, policy.routing.sla_hours) for c in codes)
    approval_only = all(f.code in (HoldCode.OVER_AUTHORITY_LIMIT, HoldCode.VENDOR_AMOUNT_LIMIT) for f in open_holds)
    return Routing("review", role, "approvals" if approval_only else "exceptions", priority,
                   now + timedelta(hours=hours), tuple(dict.fromkeys(codes)))
