"""Which PO line each invoice line bills: scored pairs, then one optimal assignment.

A pair scores on the vendor's product code (the strongest evidence), description similarity, and how
close the unit price and quantity are after unit conversion. ``linear_sum_assignment`` then finds the
assignment with the best total score, so two similar lines ("gloves S", "gloves M") go to their own PO
lines instead of both to the first. Pairs below the acceptance score are not made. A second invoice line
for a PO line already taken (two deliveries on one invoice) joins it when its product code agrees.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from matching.invoice_lines import InvoiceLine, LineKind, is_charge_text
from matching.mirror_view import UomRecord
from matching.order_lines import PoLineInfo, code_key
from matching.units import category_units, convert_price, convert_qty, resolve_unit, unit_family
from matching.vendors.normalise import fold

ACCEPT = 0.55
JOIN = 0.80
_BLOCKED = 1e6


@dataclass(frozen=True)
class UnitReading:
    uom: UomRecord | None  # the invoice's unit in ERP terms (None: the PO line has no unit to convert to)
    how: str  # same | printed | inferred | assumed | incompatible
    note: str | None = None


@dataclass(frozen=True)
class Pairing:
    invoice: InvoiceLine
    po: PoLineInfo
    score: float
    unit: UnitReading
    qty: Decimal  # billed, in the PO line's unit
    price: Decimal | None  # per PO line unit
    code_matched: bool

    @property
    def convertible(self) -> bool:
        return self.unit.how != "incompatible"


def read_unit(inv: InvoiceLine, po: PoLineInfo, uoms: Mapping[int, UomRecord]) -> UnitReading:
    """The invoice line's unit in ERP terms, relative to the PO line's unit."""
    target = po.uom
    if target is None:
        return UnitReading(None, "same")
    cands = category_units(uoms, target.id)
    if inv.unit:
        found = resolve_unit(inv.unit, cands)
        if found is not None:
            return UnitReading(found, "same" if found.id == target.id else "printed")
        fam = unit_family(inv.unit)
        if fam is not None and not any(unit_family(u.name) == fam for u in cands):
            return UnitReading(None, "incompatible",
                               f"the invoice's unit {inv.unit!r} does not convert to the order's {target.name!r}")
    inferred = infer_unit(inv, po, cands)
    if inferred is not None and inferred.id != target.id:
        return UnitReading(inferred, "inferred",
                           f"unit {inv.unit or '(none printed)'} read as {inferred.name} from the price")
    return UnitReading(target, "assumed" if inv.unit else "same")


def _price_gap(price: Decimal | None, po_price: Decimal) -> float:
    if price is None or po_price <= 0 or price <= 0:
        return math.inf
    return abs(math.log(float(price / po_price)))


def infer_unit(inv: InvoiceLine, po: PoLineInfo, cands: Sequence[UomRecord]) -> UomRecord | None:
    """A pack price against a per-unit order (or the reverse) with no readable unit: the unit whose
    conversion brings the price within 10% of the order's, when the order's own unit is far off (x1.5)."""
    if po.uom is None or inv.price is None or inv.price <= 0 or len(cands) < 2:
        return None
    po_price = po.line.price_unit
    own = _price_gap(inv.price, po_price)
    if own < math.log(1.5):
        return None
    best = min(cands, key=lambda u: _price_gap(convert_price(inv.price or Decimal(0), u, po.uom or u), po_price))
    gap = _price_gap(convert_price(inv.price, best, po.uom), po_price)
    return best if gap <= math.log(1.10) else None


def description_score(inv: InvoiceLine, po: PoLineInfo) -> float:
    text = fold(inv.description)
    if not text:
        return 0.0
    # Freight billed against the order's own freight line, in whatever words and language each uses
    # ("Frais de port et emballage" for "Freight and packaging").
    if inv.kind_hint is LineKind.CHARGE and any(is_charge_text(n) for n in po.names):
        return 0.9
    best = 0.0
    for name in po.names:
        best = max(best, fuzz.token_sort_ratio(text, name), 0.9 * fuzz.token_set_ratio(text, name))
    return best / 100.0


def code_match(inv: InvoiceLine, po: PoLineInfo) -> bool | None:
    """True/False when both sides have codes; None when there is nothing to compare."""
    if not po.codes:
        return None
    if inv.product_code:
        return code_key(inv.product_code) in po.codes
    # A code printed inside the description ("REF 4711-22 Nitrile gloves").
    tokens = {code_key(t) for t in inv.description.split() if any(c.isdigit() for c in t)}
    return True if tokens & po.codes else None


def _closeness(a: Decimal | None, b: Decimal) -> float:
    if a is None or a <= 0 or b <= 0:
        return 0.0
    return float(min(a, b) / max(a, b))


def pair_score(inv: InvoiceLine, po: PoLineInfo, unit: UnitReading) -> tuple[float, Decimal, Decimal | None, bool]:
    qty, price = billed_in_po_unit(inv, po, unit)
    desc = description_score(inv, po)
    code = code_match(inv, po)
    price_fit = _closeness(price, po.line.price_unit)
    open_qty = po.open_qty if po.open_qty > 0 else po.line.product_qty
    qty_fit = _closeness(qty, open_qty)
    if code is True:
        score = 0.55 + 0.25 * desc + 0.12 * price_fit + 0.08 * qty_fit
    elif code is False:
        score = min(0.35 * desc + 0.10 * price_fit + 0.05 * qty_fit, ACCEPT - 0.01)
    elif desc < 0.5:
        score = 0.0
    else:
        score = 0.60 * desc + 0.25 * price_fit + 0.15 * qty_fit
    return score, qty, price, code is True


def billed_in_po_unit(inv: InvoiceLine, po: PoLineInfo, unit: UnitReading) -> tuple[Decimal, Decimal | None]:
    qty, price = inv.qty, inv.price
    if unit.uom is not None and po.uom is not None and unit.how in ("printed", "inferred"):
        qty = convert_qty(qty, unit.uom, po.uom)
        price = convert_price(price, unit.uom, po.uom) if price is not None else None
    return qty, price


def assign_lines(invoice_lines: Sequence[InvoiceLine], po_lines: Sequence[PoLineInfo],
                 uoms: Mapping[int, UomRecord], *, join: bool = True) -> tuple[list[Pairing], list[InvoiceLine]]:
    """Pairings (invoice line → PO line) and the invoice lines no PO line explains. With ``join``, a
    left-over line whose product code matches a PO line already taken joins it (two deliveries of one
    item on one invoice)."""
    if not invoice_lines or not po_lines:
        return [], list(invoice_lines)
    cells = _cells(invoice_lines, po_lines, uoms)
    cost = np.full((len(invoice_lines), len(po_lines)), _BLOCKED)
    for (i, j), p in cells.items():
        cost[i, j] = 1.0 - p.score
    rows, cols = linear_sum_assignment(cost)
    pairings = [cells[(int(i), int(j))] for i, j in zip(rows, cols, strict=True) if cost[i, j] < _BLOCKED]
    taken = {p.invoice.index for p in pairings}
    leftover = [inv for inv in invoice_lines if inv.index not in taken]
    if join:
        joined, leftover = _join(leftover, [p for p in cells.values() if p.invoice.index not in taken])
        pairings += joined
    pairings.sort(key=lambda p: p.invoice.index)
    return pairings, leftover


def join_lines(leftover: Sequence[InvoiceLine], po_lines: Sequence[PoLineInfo],
               uoms: Mapping[int, UomRecord]) -> tuple[list[Pairing], list[InvoiceLine]]:
    """Only the joining step of ``assign_lines``: left-over lines onto PO lines by product code."""
    if not leftover or not po_lines:
        return [], list(leftover)
    return _join(leftover, list(_cells(leftover, po_lines, uoms).values()))


def _join(leftover: Sequence[InvoiceLine], candidates: Sequence[Pairing]) -> tuple[list[Pairing], list[InvoiceLine]]:
    joined, rest = [], []
    for inv in leftover:
        joins = [p for p in candidates if p.invoice.index == inv.index and p.code_matched and p.score >= JOIN]
        if joins:
            joined.append(max(joins, key=lambda p: p.score))
        else:
            rest.append(inv)
    return joined, rest


def _cells(invoice_lines: Sequence[InvoiceLine], po_lines: Sequence[PoLineInfo],
           uoms: Mapping[int, UomRecord]) -> dict[tuple[int, int], Pairing]:
    cells: dict[tuple[int, int], Pairing] = {}
    for i, inv in enumerate(invoice_lines):
        for j, po in enumerate(po_lines):
            unit = read_unit(inv, po, uoms)
            score, qty, price, by_code = pair_score(inv, po, unit)
            if score >= ACCEPT:
                cells[(i, j)] = Pairing(inv, po, score, unit, qty, price, by_code)
    return cells
