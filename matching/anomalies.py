"""Patterns that are not errors on one invoice but are worth a person's look: invoices split to stay
under an approval limit, an amount far outside the vendor's history, a vendor's first invoice."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from matching.duplicates import Earlier
from matching.findings import Finding, amt
from matching.policy import Policy
from models.holds import HoldCode

HUNDRED = Decimal(100)
# 1.4826 x MAD estimates the standard deviation of normally distributed data.
MAD_SCALE = 1.4826


def approval_limits(policy: Policy) -> list[Decimal]:
    limits = [e.above for e in policy.approval if e.above is not None]
    if policy.auto_post.amount_limit != "off":
        limits.append(Decimal(policy.auto_post.amount_limit))
    return sorted(set(limits))


def split_invoices(total: Decimal | None, invoice_date: date | None, earlier: Sequence[Earlier],
                   vendor_id: int, policy: Policy) -> Finding | None:
    rules = policy.anomalies
    if not rules.split_invoices or total is None or invoice_date is None:
        return None
    for limit in approval_limits(policy):
        floor = limit * (1 - rules.split_margin_percent / HUNDRED)
        if not floor <= total <= limit:
            continue
        near = [e for e in earlier if e.vendor_id == vendor_id and not e.credit_note and e.total is not None
                and floor <= e.total <= limit and e.invoice_date is not None
                and abs((e.invoice_date - invoice_date).days) <= rules.split_window_days]
        combined = total + sum((e.total for e in near if e.total is not None), Decimal(0))
        if near and combined > limit:
            return Finding(
                HoldCode.SPLIT_INVOICE_SUSPECTED,
                f"{len(near) + 1} invoices from this vendor within {rules.split_window_days} days each just under "
                f"the {amt(limit)} limit ({', '.join(amt(e.total) for e in near)} and this {amt(total)}), "
                f"together {amt(combined)}.", measured=amt(combined), limit=amt(limit),
                evidence={"earlier": [e.to_json() for e in near]})
    return None


def unusual_amount(total: Decimal | None, currency: str | None, earlier: Sequence[Earlier], vendor_id: int,
                   policy: Policy) -> Finding | None:
    """Robust z-score on the log of the total: invoice amounts are spread multiplicatively, and median
    and MAD are not dragged by the one outlier being looked for."""
    rules = policy.anomalies
    if not rules.unusual_amount or total is None or total <= 0:
        return None
    history = [float(e.total) for e in earlier
               if e.vendor_id == vendor_id and not e.credit_note and e.total is not None and e.total > 0
               and (not currency or not e.currency or e.currency.upper() == currency.upper())]
    if len(history) < rules.unusual_min_history:
        return None
    logs = [math.log(x) for x in history]
    median = statistics.median(logs)
    mad = statistics.median(abs(x - median) for x in logs)
    # A vendor whose invoices are all the same amount has MAD 0; a 10% spread stands in for it then.
    spread = max(MAD_SCALE * mad, math.log(1.10))
    z = (math.log(float(total)) - median) / spread
    # Only the high side: an invoice far smaller than usual puts no money at risk.
    if z <= rules.unusual_threshold:
        return None
    typical = Decimal(str(round(math.exp(median), 2)))
    return Finding(HoldCode.AMOUNT_UNUSUAL,
                   f"{amt(total)} is far from this vendor's usual amounts (median {amt(typical)} over "
                   f"{len(history)} invoices; robust z {z:.1f}, threshold {rules.unusual_threshold:g}).",
                   measured=f"{z:.1f}", limit=f"{rules.unusual_threshold:g}",
                   evidence={"median": str(typical), "history": len(history), "z": round(z, 2)})


def first_invoice(earlier: Sequence[Earlier], vendor_id: int, policy: Policy) -> Finding | None:
    if not policy.anomalies.first_invoice or any(e.vendor_id == vendor_id for e in earlier):
        return None
    return Finding(HoldCode.FIRST_INVOICE, "The first invoice from this vendor: check it once before it posts.")
