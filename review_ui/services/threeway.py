"""The three-way view: each invoice line beside its purchase-order line and what was received.

``MatchResult.detail`` is written by matching; this reads it defensively (a key missing or renamed shows
as a dash, never as an error page), accepting the names matching and Odoo use for the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from models.invoice import InvoiceData

_LINE_LISTS = ("lines", "line_matches", "assignments", "matches")


@dataclass(frozen=True)
class ThreeWayRow:
    ref: str  # the invoice line's reference, as holds name it
    description: str | None
    invoice_qty: Decimal | None
    invoice_price: Decimal | None
    invoice_amount: Decimal | None
    po_name: str | None
    po_line: str | None
    ordered_qty: Decimal | None
    po_price: Decimal | None
    received_qty: Decimal | None
    billed_before: Decimal | None
    qty_variance: Decimal | None
    price_variance: Decimal | None
    price_variance_pct: Decimal | None
    status: str | None


@dataclass(frozen=True)
class ThreeWay:
    rows: list[ThreeWayRow]
    vendor: str | None
    vendor_evidence: list[str]
    orders: list[str]
    totals: dict[str, str]


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _pick(data: Any, *keys: str) -> Any:
    if not isinstance(data, dict):
        return None
    for key in keys:
        if key in data and data[key] not in (None, ""):
            return data[key]
    return None


def _nested(data: dict[str, Any], side: tuple[str, ...], keys: tuple[str, ...]) -> Any:
    for name in side:
        found = _pick(data.get(name), *keys)
        if found is not None:
            return found
    return None


def _row(i: int, item: dict[str, Any], invoice: InvoiceData) -> ThreeWayRow:
    inv_side = ("invoice", "invoice_line", "bill")
    po_side = ("po", "po_line", "order_line", "purchase_line")
    idx = _pick(item, "invoice_line", "line_index", "index")
    inv_line = invoice.lines[idx] if isinstance(idx, int) and 0 <= idx < len(invoice.lines) else None
    inv_qty = _dec(_nested(item, inv_side, ("quantity", "qty")) or _pick(item, "invoice_qty", "billed_qty")
                   or (inv_line.get("quantity") if inv_line else None))
    inv_price = _dec(_nested(item, inv_side, ("unit_price", "price")) or _pick(item, "invoice_price")
                     or (inv_line.get("unit_price") if inv_line else None))
    inv_amount = _dec(_nested(item, inv_side, ("amount", "subtotal")) or _pick(item, "invoice_amount")
                      or (inv_line.get("amount") if inv_line else None))
    ordered = _dec(_nested(item, po_side, ("product_qty", "quantity", "ordered_qty", "qty"))
                   or _pick(item, "ordered_qty", "po_qty"))
    po_price = _dec(_nested(item, po_side, ("price_unit", "unit_price", "price")) or _pick(item, "po_price"))
    received = _dec(_nested(item, po_side, ("qty_received", "received_qty"))
                    or _pick(item, "received_qty", "qty_received"))
    billed = _dec(_nested(item, po_side, ("qty_invoiced", "billed_qty")) or _pick(item, "qty_invoiced",
                                                                                    "billed_before"))
    variances = item.get("variances") if isinstance(item.get("variances"), dict) else {}
    qty_var = _dec(_pick(variances, "quantity", "qty") or _pick(item, "qty_variance"))
    if qty_var is None and inv_qty is not None and received is not None:
        qty_var = inv_qty - (received - (billed or Decimal(0)))
    price_var = _dec(_pick(variances, "price", "unit_price") or _pick(item, "price_variance"))
    if price_var is None and inv_price is not None and po_price is not None:
        price_var = inv_price - po_price
    pct = _dec(_pick(variances, "price_pct", "price_percent") or _pick(item, "price_variance_pct"))
    if pct is None and price_var is not None and po_price:
        pct = (price_var / po_price * 100).quantize(Decimal("0.1"))
    description = (_nested(item, inv_side, ("description", "name")) or _pick(item, "description")
                   or (inv_line.get("description") if inv_line else None))
    return ThreeWayRow(
        ref=str(_pick(item, "line_ref", "ref") or (idx + 1 if isinstance(idx, int) else i + 1)),
        description=str(description) if description is not None else None,
        invoice_qty=inv_qty, invoice_price=inv_price, invoice_amount=inv_amount,
        po_name=_str(_nested(item, po_side, ("order", "order_name", "po_name")) or _pick(item, "po_name", "order")),
        po_line=_str(_nested(item, po_side, ("name", "description", "product")) or _pick(item, "po_line_name")),
        ordered_qty=ordered, po_price=po_price, received_qty=received, billed_before=billed,
        qty_variance=qty_var, price_variance=price_var, price_variance_pct=pct,
        status=_str(_pick(item, "status", "outcome", "result")),
    )


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[1], str):
        return value[1]  # an Odoo many2one as [id, "name"]
    return str(value)


def three_way(detail: dict[str, Any] | None, invoice: InvoiceData) -> ThreeWay:
    detail = detail if isinstance(detail, dict) else {}
    items: list[Any] = []
    for key in _LINE_LISTS:
        if isinstance(detail.get(key), list):
            items = detail[key]
            break
    rows = [_row(i, item, invoice) for i, item in enumerate(items) if isinstance(item, dict)]
    vendor: dict[str, Any] = detail["vendor"] if isinstance(detail.get("vendor"), dict) else {}
    evidence: list[Any] = vendor["evidence"] if isinstance(vendor.get("evidence"), list) else []
    orders_raw = _pick(detail, "purchase_orders", "orders", "pos") or []
    orders = [str(_pick(o, "name", "order") or o) if isinstance(o, dict) else str(o)
              for o in orders_raw] if isinstance(orders_raw, list) else []
    totals_raw: dict[str, Any] = detail["totals"] if isinstance(detail.get("totals"), dict) else {}
    return ThreeWay(rows=rows, vendor=_str(_pick(vendor, "name", "display_name")),
                    vendor_evidence=[str(_pick(e, "text", "kind", "reason") or e) if isinstance(e, dict)
                                     else str(e) for e in evidence][:10],
                    orders=orders[:20], totals={str(k): str(v) for k, v in totals_raw.items()
                                                if isinstance(v, str | int | float)})
