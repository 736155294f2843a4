"""The world as one JSON file, ``snapshot.json``: what ``payables erp import``, ``payables erp seed``
and the Odoo-protocol test server read.

Format ``payables-world/1``::

    {"format": "payables-world/1", "seed": 7, "generated_for": "2025-06-30",
     "models": {"res.currency": [...], "res.company": [...], ...}}

Model and field names are Odoo 18's. Conventions:

- many2one fields are integer ids or ``null``; many2many fields (``taxes_id``) lists of ids;
- ``Date`` fields ISO dates (``2025-06-14``), ``Datetime`` fields ISO 8601 in UTC with a ``Z``
  (``2025-06-14T09:30:00Z``; Odoo itself returns ``2025-06-14 09:30:00``, UTC without a zone);
- money, prices, quantities, tax rates and unit factors are decimal strings, never floats
  (``"1234.50"``, ``"0.0845"``, ``"0.083333333333"``);
- records of a model are in id order.

Models and fields:

``res.currency`` id, name (ISO code), symbol.
``res.company`` id, name, vat, street, city, zip, country_code, currency_id, email (the AP inbox).
``stock.warehouse`` id, name, code, company_id: the twelve clinics and the central store.
``stock.picking.type`` id, name, code (``incoming``), warehouse_id, company_id: each site's receipts.
``res.partner`` id, name, vat, email, phone, website, street, city, zip, country_code, is_company,
  supplier_rank (as unreliable as Odoo's: some vendors have 0), company_id (``null`` = shared), ref,
  write_date, and two custom fields: ``x_category`` (the vendor category: Medical consumables,
  Pharmaceuticals, Laboratory reagents, Dental supplies, Facility services, IT hardware & services) and
  ``x_invoice_limit`` (a per-vendor invoice amount limit in the vendor's currency, or ``null``).
``res.partner.bank`` id, partner_id, acc_number (a compact IBAN; US vendors an account number),
  bank_bic, bank_name, allow_out_payment.
``uom.category`` id, name. ``uom.uom`` id, name, category_id, factor, factor_inv, uom_type, rounding, with
  Odoo's semantics: the category's reference unit has factor 1; "Box of 100" is ``bigger`` with factor
  0.01 and factor_inv 100 (a quantity in boxes x 100 = units); "g" is ``smaller`` with factor 1000.
``product.category`` id, name.
``product.product`` id, name, default_code, barcode (EAN-13 or ``null``), uom_id, uom_po_id, categ_id,
  type (``consu`` | ``service``), is_storable, purchase_method (``receive``: bill on received
  quantities; ``purchase``: on ordered quantities; services always ``purchase``).
``product.supplierinfo`` id, partner_id, product_id, product_code (the vendor's own code), product_name
  (the vendor's own name for it), price (per ``uom_po_id``, in currency_id), currency_id, min_qty.
``account.tax`` id, name, amount (percent), amount_type (``percent``), type_tax_use (``purchase``),
  company_id. Companies round tax per rate group over the document (``round_globally``).
``purchase.order`` id, name (``P00123``), partner_id, partner_ref, state (``purchase`` | ``done`` |
  ``cancel``), currency_id, company_id, picking_type_id (the receiving site), date_order, date_approve,
  amount_untaxed, amount_tax, amount_total, invoice_status (``no`` | ``to invoice`` | ``invoiced``),
  receipt_status (``pending`` | ``partial`` | ``full`` | ``null`` without receipts), write_date.
``purchase.order.line`` id, order_id, sequence, product_id, name (``[vendor code] vendor name``),
  product_qty, product_uom, price_unit, taxes_id, qty_received_method (``stock_moves`` | ``manual``),
  qty_received, qty_invoiced, price_subtotal, display_type (``null``), write_date. ``qty_received`` is
  the sum of the line's done ``stock.move`` quantities (in the line's unit); ``qty_invoiced`` the sum of
  the quantities of the non-cancelled bills made from the PO.
``stock.picking`` id, name (``ZLK/IN/00012``), partner_id, picking_type_id, origin (the PO name),
  purchase_id, state (``done`` | ``assigned`` | ``cancel``), scheduled_date, date_done, backorder_id
  (the picking this one is the backorder of), company_id, write_date.
``stock.move`` id, picking_id, product_id, purchase_line_id, product_uom_qty (demand), quantity (done;
  0 while waiting), product_uom, state, picked.
``account.move`` id, name (``BILL/2025/00042``, credit notes ``RBILL/…``), move_type (``in_invoice`` |
  ``in_refund``), partner_id, ref (the vendor's invoice number), payment_reference, invoice_date,
  invoice_date_due, amount_untaxed, amount_tax, amount_total, currency_id, state (``posted`` |
  ``draft`` | ``cancel``), company_id, invoice_origin (PO names, or ``null`` for a bill keyed in without
  its PO), write_date.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from synth.world.store import World

FORMAT = "payables-world/1"
# Internal bookkeeping on a record that Odoo keeps elsewhere (a bill's lines), not a field.
_INTERNAL = {"account.move": {"billed"}}


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def _records(model: str, rows: list[Any]) -> list[dict[str, Any]]:
    skip = _INTERNAL.get(model, set())
    out = []
    for row in sorted(rows, key=lambda r: r.id):
        out.append({f.name: _value(getattr(row, f.name)) for f in dataclasses.fields(row) if f.name not in skip})
    return out


def build_snapshot(world: World) -> dict[str, Any]:
    models: dict[str, list[Any]] = {
        "res.currency": world.currencies, "res.company": world.companies, "stock.warehouse": world.warehouses,
        "stock.picking.type": world.picking_types, "res.partner": world.partners, "res.partner.bank": world.banks,
        "uom.category": world.uom_categories, "uom.uom": world.uoms, "product.category": world.product_categories,
        "product.product": world.products, "product.supplierinfo": world.supplierinfos, "account.tax": world.taxes,
        "purchase.order": world.orders, "purchase.order.line": world.order_lines, "stock.picking": world.pickings,
        "stock.move": world.moves, "account.move": world.bills,
    }
    return {"format": FORMAT, "seed": world.seed, "generated_for": world.today.isoformat(),
            "models": {name: _records(name, rows) for name, rows in models.items()}}


def snapshot_bytes(world: World) -> bytes:
    """One record per line: quick to write and to read, and a diff between two worlds stays legible."""
    data = build_snapshot(world)
    head = {k: v for k, v in data.items() if k != "models"}
    parts = [json.dumps(head, ensure_ascii=False)[:-1] + ', "models": {']
    models = list(data["models"].items())
    for i, (name, records) in enumerate(models):
        rows = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
        parts.append(f'{json.dumps(name)}: [\n{rows}\n]{"," if i < len(models) - 1 else ""}')
    parts.append("}}\n")
    return "\n".join(parts).encode()
