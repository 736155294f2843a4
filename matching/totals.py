"""Checks on the invoice as a whole: its own arithmetic, tax, currency, charges not on the order, and
the price variances accepted line by line, summed.

Rounding is forgiven by construction: each printed amount may be off by half a cent, so a sum of n of
them by n/2 cents. Beyond that, differences up to the policy's small-difference cap are accepted and
recorded (SAP's BD), and anything larger raises the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from matching.findings import Finding, Outcome, amt, num
from matching.invoice_lines import InvoiceLine, LineKind
from matching.line_checks import LineOutcome
from matching.mirror_view import OrderRecord
from matching.policy import Policy, RuleScope, rule_for
from matching.tolerances import evaluate
from models.holds import HoldCode

ZERO = Decimal(0)
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")


@dataclass
class TotalsOutcome:
    findings: list[Finding] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)


def rounding_allowance(terms: int) -> Decimal:
    return HALF_CENT * max(terms, 1) + CENT


def check_currency(currency: str | None, orders: Sequence[OrderRecord], policy: Policy,
                   scope: RuleScope) -> tuple[list[Finding], frozenset[int]]:
    """``CURRENCY_MISMATCH`` per order in another currency; those orders' lines are not value-checked."""
    rule = rule_for(policy, "currency", scope)
    if not rule.enabled or not currency:
        return [], frozenset()
    findings, skipped = [], set()
    for o in orders:
        if o.currency and o.currency.upper() != currency.upper():
            skipped.add(o.id)
            findings.append(Finding(
                HoldCode.CURRENCY_MISMATCH,
                f"The invoice is in {currency.upper()}, purchase order {o.name} in {o.currency.upper()}; "
                "prices and amounts were not compared.",
                line_ref=o.name, measured=currency.upper(), limit=o.currency.upper(),
                outcome=Outcome(rule.outcome)))
    return findings, frozenset(skipped)


def check_arithmetic(lines: Sequence[InvoiceLine], net: Decimal | None, tax: Decimal | None,
                     total: Decimal | None, policy: Policy, scope: RuleScope, out: TotalsOutcome) -> None:
    rule = rule_for(policy, "arithmetic", scope)
    cap = policy.small_differences.cap
    for line in lines:
        if line.quantity is None or line.unit_price is None or line.amount is None:
            continue
        computed = line.quantity * line.unit_price
        # Only the cent of rounding the product: an amount that needs a unit price other than the one
        # printed ("678 x 2.30 = 1562.10") would post to Odoo at a price the vendor did not print.
        _compare(out, rule, "line", f"{line.label}: {num(line.quantity)} x {amt(line.unit_price)} = "
                 f"{amt(computed.quantize(CENT))}, the line says {amt(line.amount)}",
                 line.amount - computed, computed, CENT, cap, line.ref)
    if net is not None and lines:
        summed = sum((ln.value for ln in lines), ZERO)
        _compare(out, rule, "lines_to_net", f"the lines add up to {amt(summed)}, the net says {amt(net)}",
                 net - summed, summed, rounding_allowance(len(lines)), cap, "net_amount")
    if total is not None and net is not None:
        expected = net + (tax or ZERO)
        _compare(out, rule, "net_plus_tax", f"net {amt(net)} + tax {amt(tax or ZERO)} = {amt(expected)}, "
                 f"the total says {amt(total)}", total - expected, expected, rounding_allowance(2), cap,
                 "total_amount")
    elif total is not None and lines and tax is not None:
        expected = sum((ln.value for ln in lines), ZERO) + tax
        _compare(out, rule, "lines_plus_tax", f"lines + tax = {amt(expected)}, the total says {amt(total)}",
                 total - expected, expected, rounding_allowance(len(lines) + 1), cap, "total_amount")


def _compare(out: TotalsOutcome, rule: Any, what: str, sentence: str, diff: Decimal, reference: Decimal,
             rounding: Decimal, cap: Decimal, line_ref: str, code: HoldCode = HoldCode.ARITHMETIC_ERROR) -> None:
    if abs(diff) <= rounding:
        return
    verdict = evaluate(rule, diff, reference, allowance=rounding + cap, money=True)
    if verdict.exceeded:
        out.findings.append(Finding(code, f"{sentence}: off by {amt(diff.quantize(CENT))}, beyond rounding "
                                    f"and the {amt(cap)} accepted as a small difference.",
                                    line_ref=line_ref, measured=amt(diff.quantize(CENT)),
                                    limit=amt((verdict.limit or ZERO).quantize(CENT)), outcome=Outcome(rule.outcome)))
    elif verdict.checked:
        out.accepted.append({"check": what, "difference": str(diff.quantize(CENT)),
                             "accepted_as": "small difference", "cap": str(cap)})


def check_tax(lines: Sequence[InvoiceLine], outcomes: Sequence[LineOutcome], tax: Decimal | None,
              policy: Policy, scope: RuleScope, out: TotalsOutcome) -> None:
    """Each matched line's tax rate against its PO line's tax codes, and the invoice's tax against what
    those codes give on the invoice's own amounts. Lines not on the order (freight, discounts) take
    their own printed rate, else the order's rate when the order has only one."""
    rule = rule_for(policy, "tax", scope)
    if not rule.enabled:
        return
    by_line = {p.invoice.index: o.po for o in outcomes for p in o.pairings}
    order_rates = {o.po.tax_rate for o in outcomes if o.po.tax_rate is not None}
    single_rate = next(iter(order_rates)) if len(order_rates) == 1 else None
    expected, known, wrong = ZERO, True, []
    for line in lines:
        po = by_line.get(line.index)
        rate = po.tax_rate if po is not None else None
        if po is not None and rate is not None and line.tax_rate is not None and abs(line.tax_rate - rate) > CENT:
            wrong.append((line, po, rate))
            continue
        rate = rate if rate is not None else (line.tax_rate if line.tax_rate is not None else single_rate)
        if rate is None:
            known = False
            continue
        expected += line.value * rate / 100
    for line, po, rate in wrong:
        out.findings.append(Finding(
            HoldCode.TAX_MISMATCH, f"{line.label}: taxed at {num(line.tax_rate)}%, the order's tax code "
            f"on {po.ref} is {num(rate)}%.", line_ref=line.ref, measured=f"{num(line.tax_rate)}%",
            limit=f"{num(rate)}%", outcome=Outcome(rule.outcome)))
    if wrong or tax is None or not known or not lines:
        return
    _compare(out, rule, "tax", f"the order's tax codes give {amt(expected.quantize(CENT))} of tax, the invoice "
             f"says {amt(tax)}", tax - expected, expected, rounding_allowance(len(lines)),
             policy.small_differences.cap, "tax_amount", HoldCode.TAX_MISMATCH)


def check_charges(charges: Sequence[InvoiceLine], goods_net: Decimal, policy: Policy, scope: RuleScope,
                  out: TotalsOutcome) -> None:
    """Freight and fees not on the order, against their own tolerance (percent of the goods net and an
    absolute cap); beyond it ``AMOUNT_VARIANCE`` on those lines."""
    if not charges:
        return
    rule = rule_for(policy, "charges", scope)
    total = sum((c.value for c in charges), ZERO)
    verdict = evaluate(rule, total, goods_net, money=True)
    refs = ", ".join(c.label for c in charges)
    if verdict.exceeded:
        out.findings.append(Finding(
            HoldCode.AMOUNT_VARIANCE,
            f"Charges not on the order ({refs}) come to {amt(total)} on goods of {amt(goods_net)}; "
            f"{verdict.tolerance}.", line_ref=", ".join(c.ref for c in charges), measured=amt(total),
            limit=amt((verdict.limit or ZERO).quantize(CENT)), outcome=Outcome(rule.outcome),
            evidence={"charges": [{"line": c.index + 1, "description": c.description, "amount": str(c.value)}
                                  for c in charges], "goods_net": str(goods_net)}))
    else:
        out.accepted.append({"check": "charges", "amount": str(total), "limit": verdict.tolerance,
                             "lines": [c.index + 1 for c in charges]})


def check_accepted_variance(outcomes: Sequence[LineOutcome], policy: Policy, scope: RuleScope,
                            out: TotalsOutcome) -> None:
    """Price variances each within their line's tolerance can still add up: their sum against the net
    the order explains (``amount_total``), lines already held for their price left out."""
    rule = rule_for(policy, "amount_total", scope)
    counted = [o for o in outcomes if not o.price_held]
    variance = sum((o.accepted_price_value for o in counted), ZERO)
    explained = sum((o.explained_value for o in counted), ZERO)
    if variance == 0:
        return
    verdict = evaluate(rule, variance, explained, money=True)
    if verdict.exceeded:
        out.findings.append(Finding(
            HoldCode.AMOUNT_VARIANCE,
            f"Price differences accepted line by line add up to {amt(variance.quantize(CENT))} on "
            f"{amt(explained.quantize(CENT))} explained by the order; {verdict.tolerance}.",
            line_ref="total", measured=amt(variance.quantize(CENT)),
            limit=amt((verdict.limit or ZERO).quantize(CENT)), outcome=Outcome(rule.outcome),
            evidence={"explained_net": str(explained.quantize(CENT))}))
    else:
        out.accepted.append({"check": "amount_total", "variance": str(variance.quantize(CENT)),
                             "limit": verdict.tolerance})


def charges_and_discounts(leftover: Sequence[InvoiceLine]) -> tuple[list[InvoiceLine], list[InvoiceLine],
                                                                     list[InvoiceLine]]:
    charges = [ln for ln in leftover if ln.kind_hint is LineKind.CHARGE]
    discounts = [ln for ln in leftover if ln.kind_hint is LineKind.DISCOUNT]
    items = [ln for ln in leftover if ln.kind_hint is LineKind.ITEM]
    return charges, discounts, items
