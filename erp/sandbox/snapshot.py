"""Filling a sandbox: the records Odoo ships with (user, journals, accounts, units) and a
``payables-world/1`` snapshot loaded with its own ids, so a mirror imported from the same snapshot
and this server agree on every id.

The snapshot has no bill lines and may not list every move behind a quantity; received and billed
quantities the loaded records do not explain are kept as opening quantities, so the server answers
the snapshot's ``qty_received`` and ``qty_invoiced`` and adds what later receipts and bills do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from erp.sandbox.computed import convert_qty, pol_received_method
from erp.sandbox.world import World, to_python

FORMAT = "payables-world/1"
DEFAULT_LOGIN = "admin"
DEFAULT_KEY = "sandbox-api-key"
ADMIN_UID = 2

# Load order: every record's many2ones point at records loaded before it.
ORDER = ("res.currency", "res.company", "stock.warehouse", "stock.picking.type", "res.partner",
         "res.partner.bank", "uom.category", "uom.uom", "product.category", "product.product",
         "product.supplierinfo", "account.tax", "purchase.order", "purchase.order.line", "stock.picking",
         "stock.move", "account.move")


class SnapshotError(ValueError):
    pass


def new_world(*, db: str = "sandbox", snapshot: Mapping[str, Any] | Path | None = None,
              login: str = DEFAULT_LOGIN, api_key: str = DEFAULT_KEY) -> World:
    """A ready world: the snapshot's records (if any) and what a fresh Odoo has around them."""
    world = World(db)
    data: Mapping[str, Any] = {}
    if isinstance(snapshot, Path):
        data = json.loads(snapshot.read_text(encoding="utf-8"))
    elif snapshot is not None:
        data = snapshot
    if data and data.get("format") != FORMAT:
        raise SnapshotError(f"not a {FORMAT} snapshot (format {data.get('format')!r})")
    with world.transaction():
        models = data.get("models") or {}
        # A record the snapshot gives no write_date was last written when the snapshot was taken: as of
        # its newest write, not as of loading (an incremental sync would take it for new).
        stamps = [to_python("datetime", r["write_date"]) for recs in models.values() for r in recs or []
                  if r.get("write_date")]
        as_of = max(stamps) if stamps else None
        for model in ORDER:
            for rec in models.get(model) or []:
                _load(world, model, rec, as_of)
        _bootstrap(world, login, api_key)
        _openings(world, models)
    return world


def _country(world: World, code: str | None) -> int | None:
    if not code:
        return None
    for rec in world.tables["res.country"].values():
        if rec.get("code") == code:
            return int(rec["id"])
    rid = world.new_id("res.country")
    world.raw_insert("res.country", {"id": rid, "name": code, "code": code})
    return rid


def _bank(world: World, bic: str | None) -> int | None:
    if not bic:
        return None
    for rec in world.tables["res.bank"].values():
        if rec.get("bic") == bic:
            return int(rec["id"])
    rid = world.new_id("res.bank")
    world.raw_insert("res.bank", {"id": rid, "name": bic, "bic": bic})
    return rid


def _load(world: World, model: str, src: Mapping[str, Any], as_of: Any = None) -> None:
    if "id" not in src:
        raise SnapshotError(f"a {model} record has no id: {dict(src)!r}"[:300])
    src = dict(src)
    mdef = world.models[model]
    stamp = to_python("datetime", src.pop("write_date", None)) or as_of or world.tx_now
    rec: dict[str, Any] = {"id": int(src.pop("id")), "write_date": stamp, "create_date": stamp,
                           "create_uid": ADMIN_UID, "write_uid": ADMIN_UID}
    if "country_code" in src:
        rec["country_id"] = _country(world, src.pop("country_code"))
    if model == "res.partner.bank":
        rec["bank_id"] = _bank(world, src.pop("bank_bic", None))
    if model == "product.product":
        src = _product_template(world, rec["id"], src, stamp)
        rec["product_tmpl_id"] = rec["id"]
    if model == "purchase.order.line":
        rec["_snapshot_qty_received"] = to_python("float", src.pop("qty_received", None))
        rec["qty_invoiced_opening"] = to_python("float", src.pop("qty_invoiced", None))
    if model == "account.move":
        rec["amount_untaxed_opening"] = to_python("float", src.pop("amount_untaxed", None))
        rec["amount_tax_opening"] = to_python("float", src.pop("amount_tax", None))
    for name, value in src.items():
        f = mdef.fields.get(name)
        if f is None or f.compute or f.related or f.type == "one2many":
            continue  # computed in the server (amounts, statuses) or not an Odoo field
        if f.type == "many2many":
            rec[name] = [int(v) for v in value or []]
        elif f.type == "many2one":
            rec[name] = int(value) if value not in (None, False) else None
        else:
            rec[name] = to_python(f.type, value)
    for name, f in mdef.fields.items():
        if name not in rec and f.default is not None and not f.compute and not f.related:
            rec[name] = to_python(f.type, f.default)
    world.raw_insert(model, rec)


def _product_template(world: World, pid: int, src: dict[str, Any], stamp: Any) -> dict[str, Any]:
    template_fields = world.models["product.template"].fields
    tmpl: dict[str, Any] = {"id": pid, "write_date": stamp, "create_date": stamp}
    own = {}
    for name, value in src.items():
        f = template_fields.get(name)
        if name in ("barcode", "default_code", "active") or f is None:
            own[name] = value
        if f is not None and not f.compute and f.type != "one2many":
            tmpl[name] = int(value) if f.type == "many2one" and value else to_python(f.type, value)
    tmpl.setdefault("uom_po_id", tmpl.get("uom_id"))
    for name, f in template_fields.items():
        if name not in tmpl and f.default is not None and not f.compute:
            tmpl[name] = to_python(f.type, f.default)
    world.raw_insert("product.template", tmpl)
    return own


def _bootstrap(world: World, login: str, api_key: str) -> None:
    """What a fresh Odoo with purchase, stock and accounting has: currencies, a company, the admin
    user with every company, a vendor-bill journal and expense accounts per company, units, a
    warehouse with its receipt type where the snapshot has none."""
    t = world.tables
    for code, symbol in (("EUR", "€"), ("USD", "$"), ("GBP", "£"), ("CHF", "CHF")):
        if not any(c.get("name") == code for c in t["res.currency"].values()):
            world.raw_insert("res.currency", {"id": world.new_id("res.currency"), "name": code, "symbol": symbol,
                                              "rounding": Decimal("0.01"), "active": True})
    if not t["res.company"]:
        eur = next(c["id"] for c in t["res.currency"].values() if c["name"] == "EUR")
        world.raw_insert("res.company", {"id": 1, "name": "Sandbox Health Group", "currency_id": eur,
                                         "country_id": _country(world, "DE")})
    companies = sorted(t["res.company"])
    if 1 not in t["res.users"]:
        world.raw_insert("res.users", {"id": 1, "name": "OdooBot", "login": "__system__",
                                       "company_id": companies[0], "company_ids": companies})
    if ADMIN_UID not in t["res.users"]:
        world.raw_insert("res.users", {"id": ADMIN_UID, "name": "Administrator", "login": login,
                                       "company_id": companies[0], "company_ids": companies})
    world.add_api_key(ADMIN_UID, api_key)
    _bootstrap_units(world)
    for company in companies:
        _bootstrap_company(world, company)


def _bootstrap_units(world: World) -> None:
    t = world.tables
    if t["uom.uom"]:
        return
    unit_cat = world.new_id("uom.category")
    world.raw_insert("uom.category", {"id": unit_cat, "name": "Unit"})
    for name, factor, kind in (("Units", "1", "reference"), ("Dozens", "0.0833333333", "bigger")):
        world.raw_insert("uom.uom", {"id": world.new_id("uom.uom"), "name": name, "category_id": unit_cat,
                                     "factor": Decimal(factor), "uom_type": kind, "rounding": Decimal("0.01"),
                                     "active": True})


def _bootstrap_company(world: World, company: int) -> None:
    t = world.tables
    if not any(j.get("type") == "purchase" and j.get("company_id") == company for j in t["account.journal"].values()):
        world.raw_insert("account.journal", {"id": world.new_id("account.journal"), "name": "Vendor Bills",
                                             "code": "BILL", "type": "purchase", "company_id": company})
    for code, name in (("600000", "Expenses"), ("600100", "Freight and delivery costs"),
                       ("600200", "Other purchasing costs")):
        if not any(a.get("code") == code and company in (a.get("company_ids") or [])
                   for a in t["account.account"].values()):
            world.raw_insert("account.account", {"id": world.new_id("account.account"), "code": code, "name": name,
                                                 "account_type": "expense", "company_ids": [company],
                                                 "active": True})
    warehouses = [w for w in t["stock.warehouse"].values() if w.get("company_id") == company]
    if not warehouses:
        wid = world.new_id("stock.warehouse")
        world.raw_insert("stock.warehouse", {"id": wid, "name": "Main Warehouse", "code": f"WH{company}",
                                             "company_id": company, "active": True})
        warehouses = [t["stock.warehouse"][wid]]
    for wh in warehouses:
        types = [p for p in t["stock.picking.type"].values()
                 if p.get("warehouse_id") == wh["id"] and p.get("code") == "incoming"]
        if not types:
            pid = world.new_id("stock.picking.type")
            world.raw_insert("stock.picking.type", {"id": pid, "name": "Receipts", "code": "incoming",
                                                    "sequence_code": "IN", "warehouse_id": wh["id"],
                                                    "company_id": company, "active": True})
            types = [t["stock.picking.type"][pid]]
        if not wh.get("in_type_id"):
            world.raw_set("stock.warehouse", wh["id"], "in_type_id", types[0]["id"])


def _openings(world: World, models: Mapping[str, Any]) -> None:
    env = world.superuser()
    for line in world.tables["purchase.order.line"].values():
        snap = line.pop("_snapshot_qty_received", None)
        if snap is None:
            continue
        if pol_received_method(env, "purchase.order.line", line) == "manual":
            line["qty_received_manual"] = snap
            continue
        done = Decimal(0)
        for mid in world.referencing("stock.move", "purchase_line_id", line["id"]):
            move = world.tables["stock.move"][mid]
            if move.get("state") == "done":
                done += convert_qty(env, Decimal(str(move.get("quantity") or 0)), move.get("product_uom"),
                                    line.get("product_uom"))
        line["qty_received_opening"] = snap - done
