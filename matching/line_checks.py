"""The checks on each PO line an invoice bills: quantity against ordered and received, nothing
received, unit price, and (optionally) the line's value; each hold with a sentence carrying the numbers.

Quantities are compared in the PO line's unit after conversion. "Billed before" is Odoo's
``qty_invoiced`` plus what our own approved-but-not-yet-posted invoices bill on the line, so two
invoices for one delivery cannot both pass. Products billed on ordered quantities and services are
matched two-way (ordered only); goods billed on received quantities three-way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from matching.findings import Finding, Outcome, amt, num, pct
from matching.line_assignment import Pairing
from matching.order_lines import PoLineInfo
from matching.policy import Policy, RuleScope, rule_for
from matching.tolerances import Verdict, evaluate, percent_of
from models.holds import HoldCode
from models.money import money_str

ZERO = Decimal(0)


@dataclass
class LineOutcome:
    """What the checks found on one PO line, for the three-way view and the total check."""

    po: PoLineInfo
    pairings: list[Pairing]
    billed: Decimal
    findings: list[Finding] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    # Price variance accepted within tolerance, valued (sum over the line's pairings), for amount_total.
    accepted_price_value: Decimal = ZERO
    explained_value: Decimal = ZERO
    price_held: bool = False

    def to_json(self) -> dict[str, Any]:
        po = self.po
        return {
            "po_line_id": po.id, "order": po.order.name, "order_id": po.order.id, "position": po.position,
            "description": po.line.name, "product_id": po.line.product_id, "kind": po.kind,
            "match": "two-way" if po.two_way else "three-way",
            "uom": po.uom.name if po.uom else None, "ordered": _s(po.line.product_qty),
            "received": _s(po.line.qty_received), "billed_in_odoo": _s(po.line.qty_invoiced),
            "billed_pending": _s(po.pending_billed), "billed_now": _s(self.billed),
            "po_price": _s(po.line.price_unit), "tax_rate": _s(po.tax_rate) if po.tax_rate is not None else None,
            "receipts": [{"receipt": r.receipt_name, "quantity": _s(r.quantity), "state": r.state,
                          "date": r.date_done.isoformat() if r.date_done else None} for r in po.receipts],
            "invoice_lines": [{
                "line": p.invoice.index + 1, "score": round(p.score, 3), "by_code": p.code_matched,
                "quantity": _s(p.invoice.qty), "unit": p.invoice.unit, "unit_reading": p.unit.how,
                "unit_note": p.unit.note, "quantity_in_po_unit": _s(p.qty),
                "price_in_po_unit": _s(p.price) if p.price is not None else None,
                "amount": _s(p.invoice.value)} for p in self.pairings],
            "holds": [f.code.value for f in self.findings if f.outcome is Outcome.HOLD],
            "accepted": self.accepted,
        }


def check_lines(pairings: Sequence[Pairing], policy: Policy, *, company: int | None, vendor: int | None,
                credit_note: bool = False, skip_orders: frozenset[int] = frozenset()) -> list[LineOutcome]:
    """Group the pairings by PO line and run every check on each. Orders in ``skip_orders`` (a currency
    that differs) get the view but no value checks, their hold already says why."""
    grouped: dict[int, list[Pairing]] = defaultdict(list)
    for p in pairings:
        grouped[p.po.id].append(p)
    outcomes = []
    for group in grouped.values():
        po = group[0].po
        scope = RuleScope(company=company, vendor=vendor, category=po.category, kind=po.kind)
        usable = [p for p in group if p.convertible]
        out = LineOutcome(po, group, billed=sum((p.qty for p in usable), ZERO))
        for p in group:
            if not p.convertible:
                out.findings.append(Finding(
                    HoldCode.LINE_UNMATCHED, f"{p.invoice.label} looks like {po.label}, but {p.unit.note}.",
                    line_ref=p.invoice.ref, measured=p.invoice.unit, limit=po.uom.name if po.uom else None))
        if not credit_note and po.order.id not in skip_orders and usable:
            for p in usable:
                _check_price(p, policy, scope, out)
            _check_quantities(out, policy, scope)
            _check_line_amount(out, policy, scope)
        outcomes.append(out)
    return outcomes


def _finding(code: HoldCode, rule_outcome: str, message: str, line_ref: str, verdict: Verdict,
             evidence: dict[str, Any]) -> Finding:
    return Finding(code, message, line_ref=line_ref, measured=num(verdict.variance),
                   limit=num(verdict.limit) if verdict.limit is not None else None, evidence=evidence,
                   outcome=Outcome(rule_outcome))


def _check_price(p: Pairing, policy: Policy, scope: RuleScope, out: LineOutcome) -> None:
    po_price = p.po.line.price_unit
    if p.price is None:
        return
    rule = rule_for(policy, "price", scope)
    variance = p.price - po_price
    verdict = evaluate(rule, variance, po_price, unit_value=p.qty, money=True)
    value = variance * p.qty
    out.explained_value += p.qty * po_price
    per = f" per {p.po.uom.name}" if p.po.uom is not None and p.unit.how in ("printed", "inferred") else ""
    share = percent_of(variance, po_price)
    direction = "above" if variance > 0 else "below"
    if verdict.exceeded:
        out.price_held = True
        out.findings.append(_finding(
            HoldCode.PRICE_VARIANCE, rule.outcome,
            f"{p.invoice.label}: unit price {amt(_q(p.price))}{per} vs {amt(po_price)} on {p.po.ref}; "
            f"{pct(abs(share)) if share is not None else amt(abs(variance))} {direction} "
            f"({amt(_q(abs(value)))} on {num(p.qty)}), {verdict.tolerance}.",
            p.invoice.ref, verdict,
            {"po_line_id": p.po.id, "invoice_price": str(p.price), "po_price": str(po_price),
             "percent": str(_q(share)) if share is not None else None, "value": str(_q(value))}))
        if rule.outcome == "hold":
            return
    if variance != 0:
        out.accepted_price_value += value
        out.accepted.append({"check": "price", "line": p.invoice.index + 1, "variance": str(_q(variance)),
                             "value": str(_q(value)), "limit": verdict.tolerance})


def _check_quantities(out: LineOutcome, policy: Policy, scope: RuleScope) -> None:
    po, billed = out.po, out.billed
    line = po.line
    price = line.price_unit
    lines_ref = ", ".join(p.invoice.ref for p in out.pairings)
    label = f"{', '.join(p.invoice.label for p in out.pairings)}"
    unit = f" {po.uom.name}" if po.uom else ""
    ordered_rule = rule_for(policy, "qty_ordered", scope)
    total = po.billed_before + billed
    v = evaluate(ordered_rule, total - line.product_qty, line.product_qty, unit_value=price)
    if v.exceeded and v.variance > 0:
        out.findings.append(_finding(
            HoldCode.QTY_OVER_ORDERED, ordered_rule.outcome,
            f"{label}: billed {num(billed)}{unit} at {amt(price)} on {po.ref}; ordered {num(line.product_qty)}, "
            f"billed before {num(po.billed_before)}; {num(v.variance)} over, {v.tolerance}.",
            lines_ref, v, _qty_evidence(out)))
    if po.two_way or billed <= 0:
        return
    if line.qty_received <= 0:
        rule = rule_for(policy, "not_received", scope)
        if rule.enabled:
            out.findings.append(Finding(
                HoldCode.NOT_RECEIVED,
                f"{label}: billed {num(billed)}{unit} on {po.ref}, but nothing has been received yet "
                f"(ordered {num(line.product_qty)}). Clears by itself when the receipt is booked.",
                line_ref=lines_ref, measured=num(billed), limit="0", evidence=_qty_evidence(out),
                outcome=Outcome(rule.outcome)))
        return
    available = line.qty_received - po.billed_before
    received_rule = rule_for(policy, "qty_received", scope)
    v = evaluate(received_rule, billed - available, line.qty_received, unit_value=price)
    if v.exceeded and v.variance > 0:
        out.findings.append(_finding(
            HoldCode.QTY_OVER_RECEIVED, received_rule.outcome,
            f"{label}: billed {num(billed)}{unit} at {amt(price)}; received {num(line.qty_received)}"
            f"{_before(po)}; {num(v.variance)} over, {v.tolerance}.",
            lines_ref, v, _qty_evidence(out)))
        return
    value_rule = rule_for(policy, "qty_value", scope)
    over = billed - available
    if over > 0:
        v = evaluate(value_rule, over * price, line.qty_received * price)
        if v.exceeded:
            out.findings.append(_finding(
                HoldCode.QTY_OVER_RECEIVED, value_rule.outcome,
                f"{label}: billed {num(billed)}{unit} vs {num(available)} received and not yet billed; "
                f"the {num(over)} over are worth {amt(_q(over * price))}, {v.tolerance}.",
                lines_ref, v, _qty_evidence(out)))
        elif value_rule.enabled:
            out.accepted.append({"check": "qty_value", "over": str(over), "value": str(_q(over * price)),
                                 "limit": v.tolerance})


def _before(po: PoLineInfo) -> str:
    return f", already billed {num(po.billed_before)}" if po.billed_before else ""


def _check_line_amount(out: LineOutcome, policy: Policy, scope: RuleScope) -> None:
    rule = rule_for(policy, "amount_line", scope)
    if not rule.enabled:
        return
    for p in out.pairings:
        if not p.convertible:
            continue
        expected = p.qty * p.po.line.price_unit
        v = evaluate(rule, p.invoice.value - expected, expected, money=True)
        if v.exceeded:
            out.findings.append(_finding(
                HoldCode.AMOUNT_VARIANCE, rule.outcome,
                f"{p.invoice.label}: amount {amt(p.invoice.value)} vs {amt(_q(expected))} "
                f"({num(p.qty)} x {amt(p.po.line.price_unit)} on {p.po.ref}); {v.tolerance}.",
                p.invoice.ref, v, {"po_line_id": p.po.id, "expected": str(_q(expected))}))


def _qty_evidence(out: LineOutcome) -> dict[str, Any]:
    line = out.po.line
    return {"po_line_id": out.po.id, "ordered": str(line.product_qty), "received": str(line.qty_received),
            "billed_in_odoo": str(line.qty_invoiced), "billed_pending": str(out.po.pending_billed),
            "billed_now": str(out.billed), "price": str(line.price_unit)}


def _q(value: Decimal | None) -> Decimal:
    if value is None:
        return ZERO
    return value.quantize(Decimal("0.0001")).normalize() if value != value.to_integral() else value


def _s(value: Decimal | None) -> str | None:
    """A quantity or amount for the detail JSON: plain notation, exact."""
    if value is None:
        return None
    return money_str(value.quantize(Decimal("0.000001")).normalize()) if value != value.to_integral() \
        else money_str(value)
