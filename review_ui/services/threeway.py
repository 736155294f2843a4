"""The three-way view: each invoice line beside its purchase-order line and what was received.

Reads ``MatchResult.detail`` as ``matching/detail.py`` writes it (version 1): ``lines`` holds one entry
per PO line with the invoice lines paired to it, ``invoice_lines`` every invoice line with its kind.
It reads defensively: a missing or unexpected value shows as a dash, never as an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from models.invoice import InvoiceData


@dataclass(frozen=True)
class Receipt:
    name: str
    quantity: Decimal | None
    state: str | None


@dataclass(frozen=True)
class ThreeWayRow:
    ref: str  # the invoice line's number, as holds name it
    description: str | None
    kind: str  # po | charge | discount | unmatched
    invoice_qty: Decimal | None
    invoice_unit: str | None
    invoice_price: Decimal | None  # in the PO's unit where matching converted it
    invoice_amount: Decimal | None
    po_name: str | None
    po_line: str | None
    match: str | None  # three-way | two-way
    ordered_qty: Decimal | None
    po_price: Decimal | None
    received_qty: Decimal | None
    billed_before: Decimal | None
    billed_now: Decimal | None
    open_to_bill: Decimal | None
    qty_over: Decimal | None
    price_variance: Decimal | None
    price_variance_pct: Decimal | None
    holds: list[str] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)


@dataclass(frozen=True)
class ThreeWay:
    rows: list[ThreeWayRow]
    vendor: str | None
    vendor_method: str | None
    vendor_evidence: list[str]
    orders: list[str]
    routing: list[str]
    accepted: list[str]


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _po_rows(po: dict[str, Any], descriptions: dict[int, str], invoice: InvoiceData) -> list[ThreeWayRow]:
    ordered, received = _dec(po.get("ordered")), _dec(po.get("received"))
    billed_before = sum((v for v in (_dec(po.get("billed_in_odoo")), _dec(po.get("billed_pending")))
                         if v is not None), Decimal(0))
    billed_now = _dec(po.get("billed_now"))
    three_way = po.get("match") != "two-way"
    basis = received if three_way else ordered
    open_to_bill = basis - billed_before if basis is not None else None
    over = billed_now - open_to_bill if billed_now is not None and open_to_bill is not None else None
    po_price = _dec(po.get("po_price"))
    receipts = [Receipt(str(r.get("receipt") or "—"), _dec(r.get("quantity")), _str(r.get("state")))
                for r in _dicts(po.get("receipts"))]
    holds = [str(h) for h in po.get("holds") or [] if isinstance(h, str)]
    position = po.get("position")
    label = f"{position}. {po.get('description') or ''}".strip(". ") if position else _str(po.get("description"))
    rows = []
    for pairing in _dicts(po.get("invoice_lines")) or [{}]:
        number = pairing.get("line")
        price = _dec(pairing.get("price_in_po_unit"))
        if price is None and isinstance(number, int) and 0 < number <= len(invoice.lines):
            price = invoice.lines[number - 1].decimal("unit_price")
        variance = price - po_price if price is not None and po_price is not None else None
        pct = (variance / po_price * 100).quantize(Decimal("0.1")) if variance is not None and po_price else None
        rows.append(ThreeWayRow(
            ref=str(number) if number is not None else "—",
            description=descriptions.get(number) if isinstance(number, int) else None,
            kind="po", invoice_qty=_dec(pairing.get("quantity")), invoice_unit=_str(pairing.get("unit")),
            invoice_price=price, invoice_amount=_dec(pairing.get("amount")), po_name=_str(po.get("order")),
            po_line=label, match=_str(po.get("match")), ordered_qty=ordered, po_price=po_price,
            received_qty=received, billed_before=billed_before, billed_now=billed_now, open_to_bill=open_to_bill,
            qty_over=over if over is not None and over > 0 else None, price_variance=variance,
            price_variance_pct=pct, holds=holds, receipts=receipts))
    return rows


def three_way(detail: dict[str, Any] | None, invoice: InvoiceData) -> ThreeWay:
    detail = detail if isinstance(detail, dict) else {}
    invoice_lines = _dicts(detail.get("invoice_lines"))
    descriptions = {int(x["line"]): str(x.get("description") or "") for x in invoice_lines
                    if isinstance(x.get("line"), int)}
    rows = [row for po in _dicts(detail.get("lines")) for row in _po_rows(po, descriptions, invoice)]
    for x in invoice_lines:
        if x.get("kind") != "po":
            rows.append(ThreeWayRow(
                ref=str(x.get("line") or "—"), description=_str(x.get("description")), kind=str(x.get("kind")),
                invoice_qty=None, invoice_unit=None, invoice_price=None, invoice_amount=_dec(x.get("amount")),
                po_name=None, po_line=None, match=None, ordered_qty=None, po_price=None, received_qty=None,
                billed_before=None, billed_now=None, open_to_bill=None, qty_over=None, price_variance=None,
                price_variance_pct=None))
    rows.sort(key=lambda r: (int(r.ref) if r.ref.isdigit() else 10**6, r.po_line or ""))
    vendor: dict[str, Any] = detail["vendor"] if isinstance(detail.get("vendor"), dict) else {}
    candidates = _dicts(vendor.get("candidates"))
    chosen = next((c for c in candidates if c.get("vendor_id") == vendor.get("vendor_id")), None)
    why = chosen.get("why") if chosen else None
    evidence = [str(w) for w in why] if isinstance(why, list) else ([str(why)] if why else [])
    orders_raw: dict[str, Any] = detail["orders"] if isinstance(detail.get("orders"), dict) else {}
    orders = [str(o.get("name")) for o in _dicts(orders_raw.get("orders")) if o.get("name")]
    routing: dict[str, Any] = detail["routing"] if isinstance(detail.get("routing"), dict) else {}
    accepted = [str(a.get("message") or a) if isinstance(a, dict) else str(a)
                for a in detail.get("accepted_differences") or [] if a]
    return ThreeWay(rows=rows, vendor=_str(chosen.get("name")) if chosen else None,
                    vendor_method=_str(vendor.get("method")), vendor_evidence=evidence[:10], orders=orders[:20],
                    routing=[str(r) for r in routing.get("reasons") or []][:10], accepted=accepted[:20])
