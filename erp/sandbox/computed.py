"""Computed fields, as Odoo 18 computes them: received and billed quantities, amounts, statuses.

``qty_invoiced`` counts draft bills as well as posted ones (only cancelled bills drop out), and
``qty_received`` only done moves, as in Odoo. A world loaded from a snapshot starts from the snapshot's
quantities: what its own moves and bills do not explain is kept as an opening quantity.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from erp.sandbox.world import Env, Record

ZERO = Decimal(0)
CENT = Decimal("0.01")
BILL_TYPES = ("in_invoice", "in_refund")


def _d(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def table(env: Env, model: str) -> dict[int, Record]:
    return env.world.tables[model]


def convert_qty(env: Env, qty: Decimal, from_uom: int | None, to_uom: int | None) -> Decimal:
    """Odoo's ``uom._compute_quantity``: through the category's reference unit."""
    if not from_uom or not to_uom or from_uom == to_uom:
        return qty
    uoms = table(env, "uom.uom")
    src, dst = uoms.get(from_uom), uoms.get(to_uom)
    if not src or not dst:
        return qty
    return qty / _d(src["factor"]) * _d(dst["factor"])


def display_name(env: Env, model: str, rec: Record) -> str:
    if model == "product.product":
        name = env.get(model, rec, "name") or ""
        return f"[{rec['default_code']}] {name}" if rec.get("default_code") else str(name)
    if model == "res.partner" and rec.get("parent_id") and not rec.get("is_company"):
        parent = table(env, "res.partner").get(rec["parent_id"]) or {}
        return f"{parent.get('name') or ''}, {rec.get('name') or ''}"
    if model == "account.move":
        name = rec.get("name")
        return str(name) if name and name != "/" else f"Draft Bill ({rec['id']})"
    mdef = env.mdef(model)
    if mdef.rec_name == "id" or mdef.field(mdef.rec_name) is None:
        return f"{model},{rec['id']}"
    value = env.get(model, rec, mdef.rec_name)
    return "" if value in (None, False) else str(value)


def commercial_partner(env: Env, model: str, rec: Record) -> int:
    partners = table(env, "res.partner")
    cur = rec
    while cur.get("parent_id") and not cur.get("is_company") and cur["parent_id"] in partners:
        cur = partners[cur["parent_id"]]
    return int(cur["id"])


def sanitized_acc_number(env: Env, model: str, rec: Record) -> str | None:
    acc = rec.get("acc_number")
    return re.sub(r"\W+", "", acc).upper() if acc else None


def category_complete_name(env: Env, model: str, rec: Record) -> str:
    names, cur, cats = [], rec, table(env, "product.category")
    while cur:
        names.append(str(cur.get("name") or ""))
        cur = cats.get(cur.get("parent_id") or 0)  # type: ignore[assignment]
    return " / ".join(reversed(names))


def first_variant(env: Env, model: str, rec: Record) -> int | None:
    variants = env.world.referencing("product.product", "product_tmpl_id", rec["id"])
    return variants[0] if variants else None


# -- purchase order lines ---------------------------------------------------------------------------

def _product(env: Env, product_id: int | None) -> Record:
    product = table(env, "product.product").get(product_id or 0)
    if not product:
        return {}
    return table(env, "product.template").get(product.get("product_tmpl_id") or 0) or {}


def pol_received_method(env: Env, model: str, rec: Record) -> str:
    template = _product(env, rec.get("product_id"))
    return "stock_moves" if template.get("type", "consu") == "consu" else "manual"


def pol_qty_received(env: Env, model: str, rec: Record) -> Decimal:
    if pol_received_method(env, model, rec) == "manual":
        return _d(rec.get("qty_received_manual"))
    total = _d(rec.get("qty_received_opening"))
    moves = table(env, "stock.move")
    for mid in env.world.referencing("stock.move", "purchase_line_id", rec["id"]):
        move = moves[mid]
        if move.get("state") == "done":
            total += convert_qty(env, _d(move.get("quantity")), move.get("product_uom"), rec.get("product_uom"))
    return total


def pol_qty_invoiced(env: Env, model: str, rec: Record) -> Decimal:
    total = _d(rec.get("qty_invoiced_opening"))
    amls, moves = table(env, "account.move.line"), table(env, "account.move")
    for lid in env.world.referencing("account.move.line", "purchase_line_id", rec["id"]):
        line = amls[lid]
        move = moves.get(line.get("move_id") or 0) or {}
        if move.get("state") == "cancel" or move.get("move_type") not in BILL_TYPES:
            continue
        qty = convert_qty(env, _d(line.get("quantity")), line.get("product_uom_id"), rec.get("product_uom"))
        total += -qty if move.get("move_type") == "in_refund" else qty
    return total


def pol_qty_to_invoice(env: Env, model: str, rec: Record) -> Decimal:
    order = table(env, "purchase.order").get(rec.get("order_id") or 0) or {}
    if order.get("state") not in ("purchase", "done") or rec.get("display_type"):
        return ZERO
    template = _product(env, rec.get("product_id"))
    basis = _d(rec.get("product_qty")) if template.get("purchase_method") == "purchase" else \
        pol_qty_received(env, model, rec)
    return basis - pol_qty_invoiced(env, model, rec)


def pol_price_subtotal(env: Env, model: str, rec: Record) -> Decimal:
    if rec.get("display_type"):
        return ZERO
    return money(_d(rec.get("product_qty")) * _d(rec.get("price_unit")))


def _taxes(env: Env, base: Decimal, tax_ids: list[int]) -> Decimal:
    taxes = table(env, "account.tax")
    total = ZERO
    for tid in tax_ids or []:
        tax = taxes.get(tid)
        if not tax:
            continue
        if tax.get("amount_type", "percent") == "percent":
            total += money(base * _d(tax.get("amount")) / 100)
        elif tax.get("amount_type") == "fixed":
            total += _d(tax.get("amount"))
    return total


def pol_price_tax(env: Env, model: str, rec: Record) -> Decimal:
    return _taxes(env, pol_price_subtotal(env, model, rec), rec.get("taxes_id") or [])


def pol_price_total(env: Env, model: str, rec: Record) -> Decimal:
    return pol_price_subtotal(env, model, rec) + pol_price_tax(env, model, rec)


# -- purchase orders --------------------------------------------------------------------------------

def _lines(env: Env, order: Record) -> list[Record]:
    lines = table(env, "purchase.order.line")
    return [lines[i] for i in env.world.referencing("purchase.order.line", "order_id", order["id"])]


def po_amount_untaxed(env: Env, model: str, rec: Record) -> Decimal:
    return sum((pol_price_subtotal(env, model, line) for line in _lines(env, rec)), ZERO)


def po_amount_tax(env: Env, model: str, rec: Record) -> Decimal:
    return sum((pol_price_tax(env, model, line) for line in _lines(env, rec)), ZERO)


def po_amount_total(env: Env, model: str, rec: Record) -> Decimal:
    return po_amount_untaxed(env, model, rec) + po_amount_tax(env, model, rec)


def po_invoice_ids(env: Env, model: str, rec: Record) -> list[int]:
    amls = table(env, "account.move.line")
    moves: set[int] = set()
    for line in _lines(env, rec):
        for lid in env.world.referencing("account.move.line", "purchase_line_id", line["id"]):
            if amls[lid].get("move_id"):
                moves.add(amls[lid]["move_id"])
    return sorted(moves)


def po_invoice_count(env: Env, model: str, rec: Record) -> int:
    return len(po_invoice_ids(env, model, rec))


def po_invoice_status(env: Env, model: str, rec: Record) -> str:
    if rec.get("state") not in ("purchase", "done"):
        return "no"
    lines = [line for line in _lines(env, rec) if not line.get("display_type")]
    if any(pol_qty_to_invoice(env, model, line) != 0 for line in lines):
        return "to invoice"
    if lines and any(pol_qty_invoiced(env, model, line) != 0 for line in lines):
        return "invoiced"
    return "no"


def po_receipt_status(env: Env, model: str, rec: Record) -> str | None:
    pickings = table(env, "stock.picking")
    states = [pickings[p].get("state") for p in env.world.referencing("stock.picking", "purchase_id", rec["id"])]
    states = [s for s in states if s != "cancel"]
    if not states:
        return None
    if all(s == "done" for s in states):
        return "full"
    if any(s == "done" for s in states):
        return "partial"
    return "pending"


# -- bills ------------------------------------------------------------------------------------------

def _move_lines(env: Env, move: Record) -> list[Record]:
    amls = table(env, "account.move.line")
    return [amls[i] for i in env.world.referencing("account.move.line", "move_id", move["id"])
            if amls[i].get("display_type", "product") == "product"]


def aml_price_subtotal(env: Env, model: str, rec: Record) -> Decimal:
    return money(_d(rec.get("quantity")) * _d(rec.get("price_unit")))


def aml_price_total(env: Env, model: str, rec: Record) -> Decimal:
    base = aml_price_subtotal(env, model, rec)
    return base + _taxes(env, base, rec.get("tax_ids") or [])


def move_amount_untaxed(env: Env, model: str, rec: Record) -> Decimal:
    lines = _move_lines(env, rec)
    if not lines:
        return _d(rec.get("amount_untaxed_opening"))
    return sum((aml_price_subtotal(env, model, line) for line in lines), ZERO)


def move_amount_tax(env: Env, model: str, rec: Record) -> Decimal:
    lines = _move_lines(env, rec)
    if not lines:
        return _d(rec.get("amount_tax_opening"))
    return sum((_taxes(env, aml_price_subtotal(env, model, line), line.get("tax_ids") or []) for line in lines),
               ZERO)


def move_amount_total(env: Env, model: str, rec: Record) -> Decimal:
    return move_amount_untaxed(env, model, rec) + move_amount_tax(env, model, rec)


def move_duplicated_ref_ids(env: Env, model: str, rec: Record) -> list[int]:
    """Odoo flags (never blocks) bills of the same vendor, company and type with the same reference."""
    if not rec.get("ref") or rec.get("move_type") not in BILL_TYPES:
        return []
    mine = commercial_partner(env, "res.partner", table(env, "res.partner").get(rec.get("partner_id") or 0)
                              or {"id": 0})
    out = []
    for other in table(env, "account.move").values():
        if other["id"] == rec["id"] or other.get("ref") != rec["ref"] or other.get("state") == "cancel":
            continue
        if other.get("move_type") != rec.get("move_type") or other.get("company_id") != rec.get("company_id"):
            continue
        partner = table(env, "res.partner").get(other.get("partner_id") or 0)
        if partner and commercial_partner(env, "res.partner", partner) == mine:
            out.append(other["id"])
    return sorted(out)


def move_attachment_ids(env: Env, model: str, rec: Record) -> list[int]:
    return sorted(a["id"] for a in table(env, "ir.attachment").values()
                  if a.get("res_model") == model and a.get("res_id") == rec["id"])


def attachment_checksum(env: Env, model: str, rec: Record) -> str | None:
    datas = rec.get("datas")
    return hashlib.sha1(base64.b64decode(datas)).hexdigest() if datas else None


def attachment_size(env: Env, model: str, rec: Record) -> int:
    datas = rec.get("datas")
    return len(base64.b64decode(datas)) if datas else 0


COMPUTE: dict[str, Callable[[Env, str, Record], Any]] = {
    "display_name": display_name,
    "commercial_partner": commercial_partner,
    "sanitized_acc_number": sanitized_acc_number,
    "category_complete_name": category_complete_name,
    "first_variant": first_variant,
    "pol_received_method": pol_received_method,
    "pol_qty_received": pol_qty_received,
    "pol_qty_invoiced": pol_qty_invoiced,
    "pol_qty_to_invoice": pol_qty_to_invoice,
    "pol_price_subtotal": pol_price_subtotal,
    "pol_price_tax": pol_price_tax,
    "pol_price_total": pol_price_total,
    "po_amount_untaxed": po_amount_untaxed,
    "po_amount_tax": po_amount_tax,
    "po_amount_total": po_amount_total,
    "po_invoice_ids": po_invoice_ids,
    "po_invoice_count": po_invoice_count,
    "po_invoice_status": po_invoice_status,
    "po_receipt_status": po_receipt_status,
    "aml_price_subtotal": aml_price_subtotal,
    "aml_price_total": aml_price_total,
    "move_amount_untaxed": move_amount_untaxed,
    "move_amount_tax": move_amount_tax,
    "move_amount_total": move_amount_total,
    "move_duplicated_ref_ids": move_duplicated_ref_ids,
    "move_attachment_ids": move_attachment_ids,
    "attachment_checksum": attachment_checksum,
    "attachment_size": attachment_size,
}
