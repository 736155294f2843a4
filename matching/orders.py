"""Which purchase orders the invoice bills.

Printed numbers are looked up exactly, then tolerantly. An order of another vendor is
``PO_VENDOR_MISMATCH``, a cancelled or unconfirmed one ``PO_CLOSED``, one with nothing left to bill
``PO_CLOSED`` too; a number nobody has is ``PO_NOT_FOUND``. With no number printed, the vendor's open
orders are tried: the one (or the few) whose open lines explain every item on the invoice is taken;
if none does, ``PO_MISSING``. A PO-level hold marks the selection "blocked": lines that would have been
explained by the missing order are then not held one by one as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matching.findings import Finding
from matching.invoice_lines import InvoiceLine
from matching.line_assignment import assign_lines
from matching.mirror_view import MirrorView, OrderRecord, PriorDocument
from matching.order_lines import PoLineInfo, load_po_lines
from matching.po_numbers import OrderNumberIndex
from matching.vendors.index import VendorIndex
from models.holds import HoldCode

CONFIRMED = frozenset({"purchase", "done"})
MAX_OPEN_ORDERS = 60


@dataclass
class OrderChoice:
    orders: list[OrderRecord] = field(default_factory=list)
    lines: list[PoLineInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    inferred: bool = False
    blocked: bool = False
    closed: frozenset[int] = frozenset()
    # Orders named on the invoice that may not be billed (another vendor's): shown, never billed.
    foreign: list[OrderRecord] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"orders": [{"id": o.id, "name": o.name, "vendor_id": o.vendor_id, "state": o.state,
                            "currency": o.currency, "company_id": o.company_id, "site_id": o.site_id}
                           for o in self.orders],
                "inferred": self.inferred, "printed": self.notes}


def lookup_printed(printed: Sequence[str], numbers: OrderNumberIndex) -> dict[str, tuple[set[int], str]]:
    return {p: numbers.lookup(p) for p in printed}


def choose_orders(printed: Mapping[str, tuple[set[int], str]], vendor_id: int, mirror: MirrorView,
                  items: Sequence[InvoiceLine], prior: Sequence[PriorDocument], vendors: VendorIndex,
                  ) -> OrderChoice:
    if printed:
        choice = _from_printed(printed, vendor_id, mirror, vendors)
        choice.lines = load_po_lines(mirror, choice.orders, vendor_id, prior)
        _closed_by_billing(choice)
        return choice
    return _infer(vendor_id, mirror, items, prior)


def _from_printed(printed: Mapping[str, tuple[set[int], str]], vendor_id: int, mirror: MirrorView,
                  vendors: VendorIndex) -> OrderChoice:
    choice = OrderChoice()
    chosen: dict[int, OrderRecord] = {}
    closed: set[int] = set()
    for number, (ids, how) in printed.items():
        found = mirror.orders(ids)
        if not found:
            choice.blocked = True
            choice.notes.append({"printed": number, "found": None, "how": "none"})
            choice.findings.append(Finding(HoldCode.PO_NOT_FOUND, f"Purchase order {number} is not in Odoo "
                                           "(looked up exactly and allowing for OCR slips and zero padding).",
                                           line_ref=number, measured=number))
            continue
        own = [o for o in found if o.vendor_id == vendor_id]
        if not own:
            other = found[0]
            choice.blocked = True
            choice.foreign.append(other)
            choice.notes.append({"printed": number, "found": other.name, "how": how, "vendor_id": other.vendor_id})
            choice.findings.append(Finding(
                HoldCode.PO_VENDOR_MISMATCH,
                f"Purchase order {other.name} (printed {number}) belongs to {vendors.name_of(other.vendor_id)}, "
                f"not to {vendors.name_of(vendor_id)} who sent the invoice.", line_ref=number,
                measured=f"vendor {vendor_id}", limit=f"vendor {other.vendor_id}",
                evidence={"order_id": other.id, "order_vendor_id": other.vendor_id}))
            continue
        for o in own:
            choice.notes.append({"printed": number, "found": o.name, "how": how, "order_id": o.id})
            if o.state not in CONFIRMED:
                closed.add(o.id)
                choice.blocked = True
                state = "cancelled" if o.state == "cancel" else f"not confirmed ({o.state})"
                choice.findings.append(Finding(HoldCode.PO_CLOSED, f"Purchase order {o.name} is {state}.",
                                               line_ref=o.name, measured=o.state))
            chosen[o.id] = o
    choice.orders = list(chosen.values())
    choice.closed = frozenset(closed)
    return choice


def _closed_by_billing(choice: OrderChoice) -> None:
    """An order whose every line is billed in full already (Odoo's bills plus ours in flight)."""
    closed = set(choice.closed)
    for o in choice.orders:
        lines = [ln for ln in choice.lines if ln.order.id == o.id]
        if o.id in closed or not lines:
            continue
        if all(ln.billed_before >= ln.line.product_qty for ln in lines):
            closed.add(o.id)
            choice.blocked = True
            choice.findings.append(Finding(HoldCode.PO_CLOSED, f"Purchase order {o.name} is billed in full "
                                           "already: every line's ordered quantity has been invoiced.",
                                           line_ref=o.name, measured="fully billed"))
    choice.closed = frozenset(closed)


def infer_for_rest(vendor_id: int, mirror: MirrorView, items: Sequence[InvoiceLine],
                   prior: Sequence[PriorDocument], named: Sequence[OrderRecord]) -> OrderChoice | None:
    """Items the named orders do not explain, sought on the vendor's other open orders (an invoice
    covering two orders that prints only one number): the orders that explain them all, or None."""
    found = _infer(vendor_id, mirror, items, prior, exclude=frozenset(o.id for o in named))
    return None if found.blocked else found


def _infer(vendor_id: int, mirror: MirrorView, items: Sequence[InvoiceLine], prior: Sequence[PriorDocument],
           exclude: frozenset[int] = frozenset()) -> OrderChoice:
    """No number printed: the open order(s) whose lines explain every item, else ``PO_MISSING``."""
    open_orders = sorted((o for o in mirror.open_orders(vendor_id) if o.id not in exclude),
                         key=lambda o: (o.date_order is None, o.date_order, o.id), reverse=True)[:MAX_OPEN_ORDERS]
    all_lines = load_po_lines(mirror, open_orders, vendor_id, prior)
    uoms = mirror.uoms()
    per_order: list[tuple[OrderRecord, list[PoLineInfo], set[int], float, float]] = []
    for o in open_orders:
        lines = [ln for ln in all_lines if ln.order.id == o.id and ln.open_qty > 0]
        if not lines or not items:
            continue
        pairs, _ = assign_lines(items, lines, uoms, join=False)
        if not pairs:
            continue
        explained = {p.invoice.index for p in pairs}
        score = sum(p.score for p in pairs) / len(items)
        fit = sum(p.qty <= p.po.open_qty for p in pairs) / len(pairs)
        per_order.append((o, lines, explained, score, fit))
    wanted = {ln.index for ln in items}
    # Best first: most items explained, quantities that fit, best scores, then the oldest order.
    per_order.sort(key=lambda t: (-len(t[2]), -t[4], -round(t[3], 2),
                                  t[0].date_order.timestamp() if t[0].date_order else 0, t[0].id))
    chosen: list[tuple[OrderRecord, list[PoLineInfo], set[int], float, float]] = []
    covered: set[int] = set()
    for entry in per_order:
        if entry[2] - covered:
            chosen.append(entry)
            covered |= entry[2]
        if covered >= wanted:
            break
    if wanted and covered >= wanted:
        return OrderChoice(orders=[c[0] for c in chosen], lines=[ln for c in chosen for ln in c[1]],
                           inferred=True, notes=[{"printed": None, "found": c[0].name, "how": "inferred",
                                                  "order_id": c[0].id} for c in chosen])
    candidates = ", ".join(f"{t[0].name} ({len(t[2])} of {len(items)} items)" for t in per_order[:3])
    why = (f"none of the vendor's {len(open_orders)} open orders explains all {len(items)} items"
           + (f" (closest: {candidates})" if candidates else "")) if open_orders else \
        "the vendor has no open purchase orders"
    if not items:
        why = "the invoice has no item lines to match against an order"
    return OrderChoice(blocked=True, findings=[Finding(
        HoldCode.PO_MISSING, f"The invoice names no purchase order and {why}.",
        measured=str(len(items)), evidence={"candidates": [
            {"order_id": t[0].id, "name": t[0].name, "items_explained": len(t[2])} for t in per_order[:5]]})])

