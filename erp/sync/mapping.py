"""Odoo records → mirror rows: one pure function per model, shared by the Odoo sync, the snapshot
import and the read-through refresh.

Records come with Odoo 18's field names (the Odoo source renames 16/17/19 names back), many2ones as an
id, ``[id, name]``, ``{"id": …, …nested}`` or ``False``; numbers as floats, strings or Decimals; dates as
strings. A function returns ``None`` for a record that does not belong in the mirror (a draft PO, an
outgoing delivery, a customer invoice), which the writer then removes if it was there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from erp.client import m2o_id
from models.identifiers import normalise_iban, normalise_ref, normalise_vat
from models.money import to_decimal

PO_STATES = frozenset({"purchase", "done", "cancel"})
BILL_TYPES = frozenset({"in_invoice", "in_refund"})
# Mailbox providers shared by many senders: a vendor writing from one proves nothing about who it is.
SHARED_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
    "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "t-online.de",
    "orange.fr", "free.fr", "laposte.net", "libero.it", "proton.me", "protonmail.com", "mail.com",
})

Row = dict[str, Any]


@dataclass
class Lookups:
    """Names behind ids of the small models, kept for the run: the mirror stores codes, not ids."""

    currencies: dict[int, str] = field(default_factory=dict)
    picking_type_warehouse: dict[int, int | None] = field(default_factory=dict)
    picking_type_code: dict[int, str] = field(default_factory=dict)
    uom_categories: dict[int, str] = field(default_factory=dict)
    product_categories: dict[int, str] = field(default_factory=dict)
    template_variant: dict[int, int] = field(default_factory=dict)

    def learn(self, model: str, record: dict[str, Any]) -> None:
        rid = int(record["id"])
        if model == "res.currency":
            self.currencies[rid] = str(record.get("name") or "")
        elif model == "stock.picking.type":
            self.picking_type_warehouse[rid] = m2o_id(record.get("warehouse_id"))
            self.picking_type_code[rid] = str(record.get("code") or "")
        elif model == "uom.category":
            self.uom_categories[rid] = str(record.get("name") or "")
        elif model == "product.category":
            self.product_categories[rid] = str(record.get("complete_name") or record.get("name") or "")
        elif model == "product.product":
            tmpl = m2o_id(record.get("product_tmpl_id"))
            if tmpl is not None:
                self.template_variant.setdefault(tmpl, rid)


def text(value: Any) -> str | None:
    if value is None or value is False:
        return None
    out = str(value).strip()
    return out or None


def dec(value: Any) -> Decimal | None:
    if value is None or value is False or value == "":
        return None
    return to_decimal(value)


def dec0(value: Any) -> Decimal:
    return dec(value) or Decimal(0)


def stamp(value: Any) -> datetime | None:
    """Odoo's datetimes are UTC without a zone (``2025-03-01 10:00:00``); snapshots write ISO 8601."""
    if value is None or value is False or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    raw = str(value).strip().replace("T", " ").replace("Z", "+00:00")
    parsed = datetime.fromisoformat(raw)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def day(value: Any) -> str | None:
    if value is None or value is False or value == "":
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)[:10]


def nested_name(value: Any, key: str = "name") -> str | None:
    """The name carried with a many2one: ``[id, name]`` or ``{"id": …, "name": …}``."""
    if isinstance(value, list | tuple) and len(value) > 1:
        return text(value[1])
    if isinstance(value, dict):
        return text(value.get(key))
    return None


def _currency(record: dict[str, Any], lookups: Lookups, name: str = "currency_id") -> str | None:
    value = record.get(name)
    code = nested_name(value)
    if code is None:
        cid = m2o_id(value)
        code = lookups.currencies.get(cid) if cid is not None else None
    return code[:3] if code else None


def _base(record: dict[str, Any]) -> Row:
    return {"id": int(record["id"]), "write_date": stamp(record.get("write_date"))}


def company_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    parts = [text(record.get("street")), " ".join(p for p in (text(record.get("zip")), text(record.get("city")))
                                                  if p) or None, text(record.get("country_code"))]
    return {**_base(record), "name": text(record.get("name")) or f"Company {record['id']}",
            "vat": text(record.get("vat")), "currency": _currency(record, lookups),
            "address": ", ".join(p for p in parts if p) or None}


def site_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    return {**_base(record), "name": text(record.get("name")) or "", "code": text(record.get("code")) or "",
            "company_id": m2o_id(record.get("company_id"))}


def vendor_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    vat = text(record.get("vat"))
    return {**_base(record), "name": text(record.get("name")) or f"Partner {record['id']}", "vat": vat,
            "vat_normalised": normalise_vat(vat) or None, "ref": text(record.get("ref")),
            "email": text(record.get("email")), "street": text(record.get("street")),
            "city": text(record.get("city")), "zip": text(record.get("zip")),
            "country": (text(record.get("country_code")) or "")[:2] or None,
            "company_id": m2o_id(record.get("company_id")), "category": text(record.get("x_category")),
            "invoice_limit": dec(record.get("x_invoice_limit")),
            "active": record.get("active", True) is not False}


def email_domain(address: Any) -> str | None:
    value = text(address)
    if not value or "@" not in value:
        return None
    domain = value.rsplit("@", 1)[1].strip().strip(">").lower()
    return domain if "." in domain and domain not in SHARED_MAIL_DOMAINS else None


def vendor_domains(record: dict[str, Any]) -> set[str]:
    """Its own address's domain and its contacts' (``child_ids`` read with their e-mail)."""
    domains = {email_domain(record.get("email"))}
    for child in record.get("child_ids") or []:
        if isinstance(child, dict):
            domains.add(email_domain(child.get("email")))
    return {d for d in domains if d}


def bank_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    vendor = m2o_id(record.get("partner_id"))
    acc = text(record.get("acc_number"))
    if vendor is None or acc is None:
        return None
    return {**_base(record), "vendor_id": vendor, "acc_number": acc[:60], "sanitized": normalise_iban(acc)[:60],
            "bic": (text(record.get("bank_bic")) or "")[:11] or None,
            "active": record.get("active", True) is not False}


def uom_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    category = nested_name(record.get("category_id"))
    if category is None:
        cid = m2o_id(record.get("category_id"))
        # Odoo 19 has no categories: units convert along relative_uom_id, within one family.
        category = lookups.uom_categories.get(cid, str(cid)) if cid is not None else ""
    return {**_base(record), "name": text(record.get("name")) or "", "category": category,
            "factor": dec(record.get("factor")) or Decimal(1), "uom_type": text(record.get("uom_type")) or "reference"}


def product_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    kind = text(record.get("type")) or "consu"
    if kind == "product":  # Odoo 16/17's storable product (detailed_type) is 18's consu + is_storable
        kind = "consu"
    category = nested_name(record.get("categ_id"), "complete_name") or nested_name(record.get("categ_id"))
    if category is None:
        cid = m2o_id(record.get("categ_id"))
        category = lookups.product_categories.get(cid) if cid is not None else None
    return {**_base(record), "name": text(record.get("name")) or f"Product {record['id']}",
            "default_code": text(record.get("default_code")), "barcode": text(record.get("barcode")),
            "uom_id": m2o_id(record.get("uom_id")),
            "purchase_method": text(record.get("purchase_method")) or "receive", "type": kind,
            "category": category}


def supplierinfo_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    vendor = m2o_id(record.get("partner_id"))
    product = m2o_id(record.get("product_id"))
    if product is None:
        # A price for the template applies to its variants; purchasing catalogues have one per template.
        tmpl_value = record.get("product_tmpl_id")
        if isinstance(tmpl_value, dict):
            product = m2o_id(tmpl_value.get("product_variant_id"))
        tmpl = m2o_id(tmpl_value)
        if product is None and tmpl is not None:
            product = lookups.template_variant.get(tmpl)
    if vendor is None or product is None:
        return None
    return {**_base(record), "vendor_id": vendor, "product_id": product,
            "product_code": text(record.get("product_code")), "product_name": text(record.get("product_name")),
            "price": dec(record.get("price"))}


def tax_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    if text(record.get("type_tax_use")) not in (None, "purchase", "none"):
        return None
    return {**_base(record), "name": text(record.get("name")) or "", "amount": dec0(record.get("amount")),
            "amount_type": text(record.get("amount_type")) or "percent", "company_id": m2o_id(record.get("company_id"))}


def order_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    state = text(record.get("state"))
    if state not in PO_STATES:
        return None
    ptype = record.get("picking_type_id")
    site = m2o_id(ptype.get("warehouse_id")) if isinstance(ptype, dict) and "warehouse_id" in ptype else None
    if site is None:
        pid = m2o_id(ptype)
        site = lookups.picking_type_warehouse.get(pid) if pid is not None else None
    return {**_base(record), "name": text(record.get("name")) or "", "vendor_id": m2o_id(record.get("partner_id")) or 0,
            "partner_ref": text(record.get("partner_ref")), "state": state,
            "currency": _currency(record, lookups) or "", "company_id": m2o_id(record.get("company_id")),
            "site_id": site, "date_order": stamp(record.get("date_order")),
            "amount_untaxed": dec(record.get("amount_untaxed")), "amount_tax": dec(record.get("amount_tax")),
            "amount_total": dec(record.get("amount_total")), "invoice_status": text(record.get("invoice_status")),
            "receipt_status": text(record.get("receipt_status"))}


def order_line_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    order = m2o_id(record.get("order_id"))
    if order is None:
        return None
    taxes = [m2o_id(t) for t in record.get("taxes_id") or []]
    return {**_base(record), "order_id": order, "sequence": int(record.get("sequence") or 10),
            "product_id": m2o_id(record.get("product_id")), "name": text(record.get("name")) or "",
            "product_qty": dec0(record.get("product_qty")), "qty_received": dec0(record.get("qty_received")),
            "qty_invoiced": dec0(record.get("qty_invoiced")), "price_unit": dec0(record.get("price_unit")),
            "price_subtotal": dec(record.get("price_subtotal")), "tax_ids": [t for t in taxes if t is not None],
            "uom_id": m2o_id(record.get("product_uom")), "display_type": text(record.get("display_type"))}


def receipt_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    ptype = record.get("picking_type_id")
    code = text(record.get("picking_type_code")) or (text(ptype.get("code")) if isinstance(ptype, dict) else None)
    if code is None:
        pid = m2o_id(ptype)
        code = lookups.picking_type_code.get(pid) if pid is not None else None
    if code != "incoming":
        return None
    return {**_base(record), "name": text(record.get("name")) or "", "order_id": m2o_id(record.get("purchase_id")),
            "origin": text(record.get("origin")), "vendor_id": m2o_id(record.get("partner_id")),
            "state": text(record.get("state")) or "draft", "date_done": stamp(record.get("date_done")),
            "backorder_id": m2o_id(record.get("backorder_id"))}


def receipt_line_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    receipt = m2o_id(record.get("picking_id"))
    if receipt is None:
        return None
    state = text(record.get("state")) or "draft"
    # Before a move is done Odoo 17+ pre-fills ``quantity`` with the demand; only a done move's
    # quantity was received.
    done = dec0(record.get("quantity")) if state == "done" else Decimal(0)
    return {**_base(record), "receipt_id": receipt, "po_line_id": m2o_id(record.get("purchase_line_id")),
            "product_id": m2o_id(record.get("product_id")), "quantity": done,
            "uom_id": m2o_id(record.get("product_uom")), "state": state}


def bill_row(record: dict[str, Any], lookups: Lookups) -> Row | None:
    move_type = text(record.get("move_type"))
    if move_type not in BILL_TYPES:
        return None
    ref = text(record.get("ref"))
    name = text(record.get("name"))
    return {**_base(record), "name": None if name == "/" else name, "move_type": move_type,
            "vendor_id": m2o_id(record.get("partner_id")), "ref": ref, "ref_normalised": normalise_ref(ref) or None,
            "invoice_date": day(record.get("invoice_date")), "amount_total": dec(record.get("amount_total")),
            "currency": _currency(record, lookups), "state": text(record.get("state")) or "draft",
            "company_id": m2o_id(record.get("company_id")), "invoice_origin": text(record.get("invoice_origin"))}
