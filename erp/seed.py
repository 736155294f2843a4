"""``payables erp seed WORLD.json``: push a ``payables-world/1`` snapshot into an Odoo.

Master data is found by its natural key before it is created (currency and unit by name, partner by
reference or VAT id, product by internal reference, PO and bill by number), so seeding twice does not
duplicate anything. Purchase orders are created with their lines and confirmed with ``button_confirm``;
each receipt of the snapshot is then booked as Odoo books it: the moves' quantities set and picked,
``button_validate``, and the backorder wizard answered as the snapshot shows (a later receipt: keep the
backorder; none: cancel it). Existing bills are created with lines linked to their PO lines, and posted.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from erp.client import OdooClient, m2o_id
from erp.errors import ErpError, ErpServerError
from erp.snapshot_import import check_snapshot
from erp.sync.mapping import dec0, text
from models.identifiers import normalise_iban

log = logging.getLogger("payables.erp.seed")
ANY_ACTIVE: list[Any] = [("active", "in", [True, False])]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    receipts_validated: int = 0
    backorders: int = 0
    bills_posted: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"created": dict(self.created), "found": dict(self.found),
                "receipts_validated": self.receipts_validated, "backorders": self.backorders,
                "bills_posted": self.bills_posted}


class Seeder:
    def __init__(self, client: OdooClient, snapshot: Mapping[str, Any]) -> None:
        check_snapshot(snapshot)
        self.base = client
        self.models: Mapping[str, list[dict[str, Any]]] = snapshot["models"]
        self.ids: dict[tuple[str, int], int] = {}
        self.report = SeedReport()

    def odoo(self, model: str, snapshot_id: Any) -> int | None:
        sid = m2o_id(snapshot_id)
        return None if sid is None else self.ids.get((model, sid))

    def _find_or_create(self, client: OdooClient, model: str, sid: int, domain: list[Any],
                        vals: dict[str, Any]) -> int:
        found = client.search(model, domain, limit=1) if domain else []
        if found:
            self.report.found[model] += 1
            oid = found[0]
        else:
            oid = client.create(model, {k: v for k, v in vals.items() if v is not None})
            self.report.created[model] += 1
        self.ids[(model, sid)] = oid
        return oid

    def run(self) -> SeedReport:
        self._currencies()
        self._companies()
        everywhere = self.base.for_companies(self.base.user_company_ids())
        self._warehouses(everywhere)
        self._partners(everywhere)
        self._units(everywhere)
        self._products(everywhere)
        self._taxes(everywhere)
        self._supplier_info(everywhere)
        self._orders()
        self._bills()
        return self.report

    # -- master data ------------------------------------------------------------------------------

    def _currencies(self) -> None:
        for rec in self.models.get("res.currency", []):
            found = self.base.search_read("res.currency", [("name", "=", rec["name"]), *ANY_ACTIVE], ["active"])
            if not found:
                raise ErpError(f"Odoo has no currency {rec['name']}")
            if not found[0]["active"]:
                self.base.write("res.currency", [found[0]["id"]], {"active": True})
            self.ids[("res.currency", int(rec["id"]))] = found[0]["id"]

    def _country(self, code: Any) -> int | None:
        if not code:
            return None
        found = self.base.search("res.country", [("code", "=", str(code).upper())], limit=1)
        return found[0] if found else None

    def _companies(self) -> None:
        user = self.base.user()
        for rec in self.models.get("res.company", []):
            oid = self._find_or_create(self.base, "res.company", int(rec["id"]), [("name", "=", rec["name"])], {
                "name": rec["name"], "vat": text(rec.get("vat")), "street": text(rec.get("street")),
                "city": text(rec.get("city")), "zip": text(rec.get("zip")),
                "country_id": self._country(rec.get("country_code")),
                "currency_id": self.odoo("res.currency", rec.get("currency_id"))})
            if oid not in (user.get("company_ids") or []):
                self.base.write("res.users", [self.base.uid], {"company_ids": [(4, oid)]})
        self.base.forget_user()

    def _warehouses(self, odoo: OdooClient) -> None:
        types_by_wh = {m2o_id(t.get("warehouse_id")): t for t in self.models.get("stock.picking.type", [])
                       if t.get("code") == "incoming"}
        for rec in self.models.get("stock.warehouse", []):
            company = self.odoo("res.company", rec.get("company_id"))
            oid = self._find_or_create(odoo.for_companies([company] if company else []) if company else odoo,
                                       "stock.warehouse", int(rec["id"]),
                                       [("code", "=", rec["code"]), ("company_id", "=", company)],
                                       {"name": rec["name"], "code": rec["code"], "company_id": company})
            in_type = m2o_id(odoo.read("stock.warehouse", [oid], ["in_type_id"])[0].get("in_type_id"))
            snap_type = types_by_wh.get(int(rec["id"]))
            if snap_type is not None and in_type is not None:
                self.ids[("stock.picking.type", int(snap_type["id"]))] = in_type

    def _partners(self, odoo: OdooClient) -> None:
        extra = set(odoo.existing_fields("res.partner", ["x_category", "x_invoice_limit"]))
        banks: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for bank in self.models.get("res.partner.bank", []):
            banks[int(bank["partner_id"])].append(bank)
        for rec in self.models.get("res.partner", []):
            key = [("ref", "=", rec["ref"])] if rec.get("ref") else (
                [("vat", "=", rec["vat"])] if rec.get("vat") else [("name", "=", rec["name"])])
            vals = {"name": rec["name"], "vat": text(rec.get("vat")), "email": text(rec.get("email")),
                    "street": text(rec.get("street")), "city": text(rec.get("city")), "zip": text(rec.get("zip")),
                    "country_id": self._country(rec.get("country_code")), "is_company": bool(rec.get("is_company")),
                    "supplier_rank": int(rec.get("supplier_rank") or 0), "ref": text(rec.get("ref")),
                    "phone": text(rec.get("phone")),
                    "company_id": self.odoo("res.company", rec.get("company_id"))}
            vals.update({k: rec.get(k) for k in extra if rec.get(k) is not None})
            pid = self._find_or_create(odoo, "res.partner", int(rec["id"]), [*key, *ANY_ACTIVE], vals)
            for bank in banks.get(int(rec["id"]), []):
                self._bank(odoo, pid, bank)

    def _bank(self, odoo: OdooClient, partner: int, rec: dict[str, Any]) -> None:
        wanted = normalise_iban(rec["acc_number"])
        existing = odoo.search_read("res.partner.bank", [("partner_id", "=", partner), *ANY_ACTIVE],
                                    ["sanitized_acc_number", "acc_number"])
        match = next((b for b in existing
                      if normalise_iban(b.get("sanitized_acc_number") or b["acc_number"]) == wanted), None)
        if match is not None:
            self.ids[("res.partner.bank", int(rec["id"]))] = match["id"]
            self.report.found["res.partner.bank"] += 1
            return
        bank_id = None
        if rec.get("bank_bic"):
            found = odoo.search("res.bank", [("bic", "=", rec["bank_bic"])], limit=1)
            bank_id = found[0] if found else odoo.create("res.bank", {"name": rec.get("bank_name") or rec["bank_bic"],
                                                                        "bic": rec["bank_bic"]})
        self.ids[("res.partner.bank", int(rec["id"]))] = odoo.create("res.partner.bank", {
            "partner_id": partner, "acc_number": rec["acc_number"], "bank_id": bank_id,
            "allow_out_payment": bool(rec.get("allow_out_payment"))})
        self.report.created["res.partner.bank"] += 1

    def _units(self, odoo: OdooClient) -> None:
        has_categories = odoo.has_field("uom.uom", "category_id")
        if has_categories:
            for rec in self.models.get("uom.category", []):
                self._find_or_create(odoo, "uom.category", int(rec["id"]), [("name", "=", rec["name"])],
                                     {"name": rec["name"]})
        for rec in self.models.get("uom.uom", []):
            vals = {"name": rec["name"], "factor": dec0(rec.get("factor")) or Decimal(1),
                    "uom_type": rec.get("uom_type") or "reference", "rounding": rec.get("rounding")}
            if has_categories:
                vals["category_id"] = self.odoo("uom.category", rec.get("category_id"))
            self._find_or_create(odoo, "uom.uom", int(rec["id"]), [("name", "=", rec["name"]), *ANY_ACTIVE], vals)
        for rec in self.models.get("product.category", []):
            self._find_or_create(odoo, "product.category", int(rec["id"]), [("name", "=", rec["name"])],
                                 {"name": rec["name"]})

    def _products(self, odoo: OdooClient) -> None:
        fields = odoo.fields("product.product")
        for rec in self.models.get("product.product", []):
            storable = bool(rec.get("is_storable"))
            vals: dict[str, Any] = {
                "name": rec["name"], "default_code": text(rec.get("default_code")), "barcode": text(rec.get("barcode")),
                "uom_id": self.odoo("uom.uom", rec.get("uom_id")),
                "uom_po_id": self.odoo("uom.uom", rec.get("uom_po_id") or rec.get("uom_id")),
                "categ_id": self.odoo("product.category", rec.get("categ_id")),
                "purchase_method": rec.get("purchase_method") or "receive", "purchase_ok": True,
                "type": rec.get("type") or "consu"}
            if "is_storable" in fields:
                vals["is_storable"] = storable
            elif "detailed_type" in fields and storable:  # Odoo 16/17: a storable product is its own type
                vals["detailed_type"] = vals["type"] = "product"
            if "uom_po_id" not in fields:
                vals.pop("uom_po_id")
            key = [("default_code", "=", rec["default_code"])] if rec.get("default_code") else \
                [("name", "=", rec["name"])]
            self._find_or_create(odoo, "product.product", int(rec["id"]), [*key, *ANY_ACTIVE], vals)

    def _taxes(self, odoo: OdooClient) -> None:
        for rec in self.models.get("account.tax", []):
            company = self.odoo("res.company", rec.get("company_id"))
            scoped = odoo.for_companies([company]) if company else odoo
            self._find_or_create(scoped, "account.tax", int(rec["id"]), [
                ("name", "=", rec["name"]), ("company_id", "=", company),
                ("type_tax_use", "=", rec.get("type_tax_use") or "purchase"), *ANY_ACTIVE], {
                "name": rec["name"], "amount": dec0(rec.get("amount")),
                "amount_type": rec.get("amount_type") or "percent",
                "type_tax_use": rec.get("type_tax_use") or "purchase", "company_id": company})

    def _supplier_info(self, odoo: OdooClient) -> None:
        for rec in self.models.get("product.supplierinfo", []):
            partner = self.odoo("res.partner", rec.get("partner_id"))
            product = self.odoo("product.product", rec.get("product_id"))
            if partner is None or product is None:
                continue
            tmpl = m2o_id(odoo.read("product.product", [product], ["product_tmpl_id"])[0]["product_tmpl_id"])
            self._find_or_create(odoo, "product.supplierinfo", int(rec["id"]), [
                ("partner_id", "=", partner), ("product_id", "=", product)], {
                "partner_id": partner, "product_id": product, "product_tmpl_id": tmpl,
                "product_code": text(rec.get("product_code")), "product_name": text(rec.get("product_name")),
                "price": dec0(rec.get("price")), "min_qty": dec0(rec.get("min_qty")),
                "currency_id": self.odoo("res.currency", rec.get("currency_id"))})

    # -- purchase orders and receipts -------------------------------------------------------------

    def _orders(self) -> None:
        lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for line in self.models.get("purchase.order.line", []):
            lines[int(line["order_id"])].append(line)
        pickings: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for picking in self.models.get("stock.picking", []):
            if picking.get("purchase_id"):
                pickings[int(picking["purchase_id"])].append(picking)
        moves: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for move in self.models.get("stock.move", []):
            moves[int(move["picking_id"])].append(move)
        for rec in self.models.get("purchase.order", []):
            company = self.odoo("res.company", rec.get("company_id"))
            odoo = self.base.for_companies([company]) if company else self.base
            existing = odoo.search_read("purchase.order", [("name", "=", rec["name"])], ["state", "order_line"])
            if existing:
                self.report.found["purchase.order"] += 1
                self.ids[("purchase.order", int(rec["id"]))] = existing[0]["id"]
                self._map_lines(odoo, existing[0]["id"], lines[int(rec["id"])])
                continue
            oid = self._create_order(odoo, rec, lines[int(rec["id"])], company)
            state = rec.get("state")
            if state in ("purchase", "done"):
                odoo.call("purchase.order", "button_confirm", [oid])
                for picking in sorted(pickings[int(rec["id"])], key=lambda p: int(p["id"])):
                    if picking.get("state") == "done":
                        later = [p for p in pickings[int(rec["id"])] if int(p["id"]) > int(picking["id"])
                                 and p.get("state") != "cancel"]
                        self._receive(odoo, oid, moves[int(picking["id"])], keep_backorder=bool(later))
                if state == "done":
                    self._lock(odoo, oid)
            elif state == "cancel":
                odoo.call("purchase.order", "button_cancel", [oid])

    def _create_order(self, odoo: OdooClient, rec: dict[str, Any], lines: list[dict[str, Any]],
                      company: int | None) -> int:
        taxes = odoo.pick_field("purchase.order.line", "taxes_id", "tax_ids") or "taxes_id"
        uom = odoo.pick_field("purchase.order.line", "product_uom", "product_uom_id") or "product_uom"
        order_lines = []
        for line in sorted(lines, key=lambda ln: (int(ln.get("sequence") or 10), int(ln["id"]))):
            vals = {"product_id": self.odoo("product.product", line.get("product_id")), "name": line.get("name"),
                    "product_qty": dec0(line.get("product_qty")), "price_unit": dec0(line.get("price_unit")),
                    "sequence": int(line.get("sequence") or 10), uom: self.odoo("uom.uom", line.get("product_uom")),
                    taxes: [(6, 0, [t for t in (self.odoo("account.tax", x) for x in line.get("taxes_id") or [])
                                    if t is not None])]}
            if line.get("display_type"):
                vals = {"display_type": line["display_type"], "name": line.get("name"), "product_qty": 0}
            order_lines.append((0, 0, {k: v for k, v in vals.items() if v is not None}))
        oid = odoo.create("purchase.order", {
            "name": rec["name"], "partner_id": self.odoo("res.partner", rec.get("partner_id")),
            "partner_ref": text(rec.get("partner_ref")),
            "currency_id": self.odoo("res.currency", rec.get("currency_id")),
            "company_id": company, "picking_type_id": self.odoo("stock.picking.type", rec.get("picking_type_id")),
            "date_order": text(rec.get("date_order")), "order_line": order_lines})
        self.report.created["purchase.order"] += 1
        self.ids[("purchase.order", int(rec["id"]))] = oid
        self._map_lines(odoo, oid, lines)
        return oid

    def _map_lines(self, odoo: OdooClient, order: int, lines: list[dict[str, Any]]) -> None:
        created = odoo.search_read("purchase.order.line", [("order_id", "=", order)], ["sequence"],
                                   order="sequence, id")
        ordered = sorted(lines, key=lambda ln: (int(ln.get("sequence") or 10), int(ln["id"])))
        for snap, line in zip(ordered, created, strict=False):
            self.ids[("purchase.order.line", int(snap["id"]))] = int(line["id"])

    def _receive(self, odoo: OdooClient, order: int, snap_moves: list[dict[str, Any]], *,
                 keep_backorder: bool) -> None:
        """Book one receipt of the snapshot on the order's open receipt, as a storekeeper would."""
        open_pickings = odoo.search("stock.picking", [
            ("purchase_id", "=", order), ("state", "not in", ["done", "cancel"]),
            ("picking_type_code", "=", "incoming")], order="id desc", limit=1)
        if not open_pickings:
            log.warning("order %s has no open receipt left to book", order)
            return
        picking = open_pickings[0]
        done: dict[int, Decimal] = defaultdict(Decimal)
        for move in snap_moves:
            if move.get("state") == "done":
                line = self.odoo("purchase.order.line", move.get("purchase_line_id"))
                if line is not None:
                    done[line] += dec0(move.get("quantity"))
        qty_field = odoo.pick_field("stock.move", "quantity", "quantity_done") or "quantity"
        has_picked = odoo.has_field("stock.move", "picked")
        for move in odoo.search_read("stock.move", [("picking_id", "=", picking)], ["purchase_line_id"]):
            qty = done.get(m2o_id(move.get("purchase_line_id")) or 0, Decimal(0))
            vals: dict[str, Any] = {qty_field: qty}
            if has_picked:
                vals["picked"] = qty > 0
            odoo.write("stock.move", [move["id"]], vals)
        action = odoo.call("stock.picking", "button_validate", [picking])
        if isinstance(action, dict) and action.get("res_model") == "stock.immediate.transfer":
            # Odoo 16 first asks to confirm an immediate transfer.
            wizard = odoo.with_context(**(action.get("context") or {})).create("stock.immediate.transfer", {})
            action = odoo.with_context(**(action.get("context") or {})).call("stock.immediate.transfer", "process",
                                                                                [wizard])
        if isinstance(action, dict) and action.get("res_model") == "stock.backorder.confirmation":
            wizard_client = odoo.with_context(**(action.get("context") or {}))
            wizard = wizard_client.create("stock.backorder.confirmation", {"pick_ids": [(4, picking)]})
            wizard_client.call("stock.backorder.confirmation",
                               "process" if keep_backorder else "process_cancel_backorder", [wizard])
            self.report.backorders += int(keep_backorder)
        self.report.receipts_validated += 1

    def _lock(self, odoo: OdooClient, order: int) -> None:
        for method in ("button_done", "button_lock"):
            try:
                odoo.call("purchase.order", method, [order])
                return
            except ErpServerError:
                continue  # not this version's name for it

    # -- bills ------------------------------------------------------------------------------------

    def _bills(self) -> None:
        orders_by_name = {o["name"]: o for o in self.models.get("purchase.order", [])}
        lines_by_order: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for line in self.models.get("purchase.order.line", []):
            lines_by_order[int(line["order_id"])].append(line)
        # The snapshot has no bill lines: what each PO line was billed is spread over its bills in order.
        left = {int(ln["id"]): dec0(ln.get("qty_invoiced")) for ln in self.models.get("purchase.order.line", [])}
        for rec in sorted(self.models.get("account.move", []), key=lambda r: int(r["id"])):
            if rec.get("move_type") not in ("in_invoice", "in_refund"):
                continue
            company = self.odoo("res.company", rec.get("company_id"))
            odoo = self.base.for_companies([company]) if company else self.base
            partner = self.odoo("res.partner", rec.get("partner_id"))
            existing = odoo.search("account.move", [("partner_id", "=", partner), ("ref", "=", rec.get("ref")),
                                                    ("move_type", "=", rec["move_type"]), ("state", "!=", "cancel")],
                                   limit=1)
            if existing:
                self.report.found["account.move"] += 1
                continue
            lines = self._bill_lines(rec, orders_by_name, lines_by_order, left)
            move = odoo.create("account.move", {
                "move_type": rec["move_type"], "partner_id": partner, "ref": rec.get("ref"),
                "invoice_date": rec.get("invoice_date"), "invoice_date_due": rec.get("invoice_date_due"),
                "currency_id": self.odoo("res.currency", rec.get("currency_id")), "company_id": company,
                "invoice_origin": rec.get("invoice_origin"), "payment_reference": rec.get("payment_reference"),
                "invoice_line_ids": [(0, 0, vals) for vals in lines]})
            self.report.created["account.move"] += 1
            if rec.get("state") in ("posted", "cancel"):
                odoo.call("account.move", "action_post", [move])
                self.report.bills_posted += 1
            if rec.get("state") == "cancel":
                odoo.call("account.move", "button_cancel", [move])

    def _bill_lines(self, rec: dict[str, Any], orders_by_name: Mapping[str, dict[str, Any]],
                    lines_by_order: Mapping[int, list[dict[str, Any]]],
                    left: dict[int, Decimal]) -> list[dict[str, Any]]:
        billed: list[tuple[dict[str, Any], Decimal]] = []
        snap_lines = {int(ln["id"]): ln for lines in lines_by_order.values() for ln in lines}
        if rec.get("billed"):
            billed = [(snap_lines[int(lid)], dec0(qty)) for lid, qty in rec["billed"] if int(lid) in snap_lines]
        elif rec.get("invoice_origin") in orders_by_name:
            budget = dec0(rec.get("amount_untaxed"))
            for line in lines_by_order[int(orders_by_name[rec["invoice_origin"]]["id"])]:
                price = dec0(line.get("price_unit"))
                qty = left.get(int(line["id"]), Decimal(0))
                if qty <= 0 or budget <= 0:
                    continue
                if price > 0 and qty * price > budget:
                    qty = (budget / price).quantize(Decimal("0.01"))
                billed.append((line, qty))
                left[int(line["id"])] -= qty
                budget -= qty * price
        out = []
        for line, qty in billed:
            po_line = self.odoo("purchase.order.line", line["id"])
            taxes = [t for t in (self.odoo("account.tax", x) for x in line.get("taxes_id") or []) if t is not None]
            out.append({"purchase_line_id": po_line, "product_id": self.odoo("product.product", line.get("product_id")),
                        "name": line.get("name"), "quantity": qty, "price_unit": dec0(line.get("price_unit")),
                        "product_uom_id": self.odoo("uom.uom", line.get("product_uom")), "tax_ids": [(6, 0, taxes)]})
        if not out:
            out.append({"name": rec.get("ref") or "Bill", "quantity": 1, "price_unit": dec0(rec.get("amount_untaxed"))})
        return [{k: v for k, v in vals.items() if v is not None} for vals in out]


def seed_odoo(client: OdooClient, snapshot: Mapping[str, Any]) -> SeedReport:
    return Seeder(client, snapshot).run()
