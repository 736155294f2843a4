"""Odoo 18's business behaviour that the connector relies on: defaults and sequences, the buttons
(confirm a PO, validate a receipt with its backorder wizard, post and cancel a bill), the guards
(no deleting a posted bill) and the recompute of stored fields, which bumps ``write_date``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from erp.sandbox.computed import BILL_TYPES, ZERO, _d
from erp.sandbox.exceptions import UserErrorFault
from erp.sandbox.world import Env

Method = Callable[..., Any]


# -- defaults and sequences -------------------------------------------------------------------------

def before_create(env: Env, model: str, vals: dict[str, Any]) -> None:
    hook = _BEFORE_CREATE.get(model)
    if hook is not None:
        hook(env, vals)


def _po_defaults(env: Env, vals: dict[str, Any]) -> None:
    if not vals.get("name") or vals["name"] in ("New", "/"):
        vals["name"] = f"P{env.world.next_sequence('purchase.order'):05d}"
    company = vals.get("company_id") or env.company_id
    vals["company_id"] = company
    if not vals.get("currency_id"):
        vals["currency_id"] = _company_currency(env, company)
    if not vals.get("picking_type_id"):
        vals["picking_type_id"] = default_incoming_type(env, company)
    vals.setdefault("date_order", env.world.tx_now)


def _company_currency(env: Env, company: int | None) -> int | None:
    rec = env.world.tables["res.company"].get(company or 0)
    return rec.get("currency_id") if rec else None


def default_incoming_type(env: Env, company: int | None) -> int | None:
    types = env.world.tables["stock.picking.type"]
    found = sorted(t["id"] for t in types.values() if t.get("code") == "incoming" and t.get("company_id") == company)
    return found[0] if found else None


def _pol_defaults(env: Env, vals: dict[str, Any]) -> None:
    product = env.world.tables["product.product"].get(vals.get("product_id") or 0)
    if product and not vals.get("name"):
        vals["name"] = env.display_name("product.product", product)
    if product and not vals.get("product_uom"):
        vals["product_uom"] = env.get("product.product", product, "uom_po_id")


def _picking_defaults(env: Env, vals: dict[str, Any]) -> None:
    if not vals.get("name") or vals["name"] == "/":
        ptype = env.world.tables["stock.picking.type"].get(vals.get("picking_type_id") or 0) or {}
        warehouse = env.world.tables["stock.warehouse"].get(ptype.get("warehouse_id") or 0) or {}
        prefix = f"{warehouse.get('code') or 'WH'}/{ptype.get('sequence_code') or 'IN'}"
        vals["name"] = f"{prefix}/{env.world.next_sequence(prefix):05d}"
    if not vals.get("company_id"):
        ptype = env.world.tables["stock.picking.type"].get(vals.get("picking_type_id") or 0) or {}
        vals["company_id"] = ptype.get("company_id") or env.company_id


def _move_defaults(env: Env, vals: dict[str, Any]) -> None:
    move_type = vals.setdefault("move_type", "entry")
    company = vals.get("company_id") or env.company_id
    vals["company_id"] = company
    if not vals.get("currency_id"):
        vals["currency_id"] = _company_currency(env, company)
    if not vals.get("journal_id") and move_type in BILL_TYPES:
        journals = sorted(j["id"] for j in env.world.tables["account.journal"].values()
                          if j.get("type") == "purchase" and j.get("company_id") == company)
        if not journals:
            raise UserErrorFault("No journal could be found in company for any of those types: purchase")
        vals["journal_id"] = journals[0]
    if not vals.get("date"):
        vals["date"] = vals.get("invoice_date") or env.world.tx_now.date()
    vals["state"] = "draft"
    vals["name"] = "/"


def _aml_defaults(env: Env, vals: dict[str, Any]) -> None:
    move = env.world.tables["account.move"].get(vals.get("move_id") or 0)
    if move and move.get("state") == "posted":
        raise UserErrorFault("You cannot modify a posted entry of this journal.")
    product = env.world.tables["product.product"].get(vals.get("product_id") or 0)
    if product and not vals.get("name"):
        vals["name"] = env.display_name("product.product", product)
    if product and not vals.get("product_uom_id"):
        vals["product_uom_id"] = env.get("product.product", product, "uom_id")
    if not vals.get("account_id") and move is not None:
        vals["account_id"] = default_expense_account(env, move.get("company_id"))


def default_expense_account(env: Env, company: int | None) -> int | None:
    found = sorted(a["id"] for a in env.world.tables["account.account"].values()
                   if a.get("account_type") == "expense" and company in (a.get("company_ids") or []))
    return found[0] if found else None


def _template_defaults(env: Env, vals: dict[str, Any]) -> None:
    """Odoo's default unit: the first unit of measure there is (Units in a fresh database)."""
    if not vals.get("uom_id"):
        units = sorted(i for i, u in env.world.tables["uom.uom"].items() if u.get("uom_type") == "reference")
        vals["uom_id"] = units[0] if units else None
    if not vals.get("uom_po_id"):
        vals["uom_po_id"] = vals.get("uom_id")


_BEFORE_CREATE: dict[str, Callable[[Env, dict[str, Any]], None]] = {
    "product.template": _template_defaults,
    "purchase.order": _po_defaults,
    "purchase.order.line": _pol_defaults,
    "stock.picking": _picking_defaults,
    "account.move": _move_defaults,
    "account.move.line": _aml_defaults,
}


# -- guards ----------------------------------------------------------------------------------------

PROTECTED_POSTED = frozenset({"invoice_line_ids", "line_ids", "partner_id", "currency_id", "invoice_date",
                              "move_type", "company_id", "journal_id"})


def before_write(env: Env, model: str, ids: list[int], vals: dict[str, Any]) -> None:
    if model == "account.move" and PROTECTED_POSTED & set(vals):
        for rid in ids:
            if env.world.tables[model][rid].get("state") == "posted":
                raise UserErrorFault("You cannot modify a posted entry of this journal.")
    if model == "account.move.line":
        for rid in ids:
            move = env.world.tables["account.move"].get(env.world.tables[model][rid].get("move_id") or 0)
            if move and move.get("state") == "posted":
                raise UserErrorFault("You cannot modify a posted entry of this journal.")


def before_unlink(env: Env, model: str, ids: list[int]) -> None:
    for rid in ids:
        rec = env.world.tables[model][rid]
        if model == "account.move" and (rec.get("state") == "posted" or
                                        (rec.get("name") not in (None, "/") and rec.get("state") != "draft")):
            raise UserErrorFault("You cannot delete an entry which has been posted once.")
        if model == "purchase.order" and rec.get("state") not in ("draft", "cancel"):
            raise UserErrorFault("In order to delete a purchase order, you must cancel it first.")
        if model == "stock.picking" and rec.get("state") == "done":
            raise UserErrorFault("You cannot delete a done transfer.")


# -- recompute: stored computed fields changing bump write_date -------------------------------------

def after_change(env: Env, model: str, ids: list[int], fields: set[str], *, created: bool) -> None:
    w = env.world
    if created and model == "res.company":
        for company in ids:
            _new_company(env.sudo(), company)
    elif created and model == "stock.warehouse":
        for warehouse in ids:
            _new_warehouse(env.sudo(), warehouse)
    if model == "purchase.order.line":
        w.touch("purchase.order", [w.tables[model][i].get("order_id") for i in ids if i in w.tables[model]])
    elif model == "stock.move":
        for i in ids:
            move = w.tables[model].get(i) or {}
            _touch_po_line(env, move.get("purchase_line_id"))
            w.touch("stock.picking", [move.get("picking_id")])
    elif model == "account.move.line":
        for i in ids:
            line = w.tables[model].get(i) or {}
            _touch_po_line(env, line.get("purchase_line_id"))
            w.touch("account.move", [line.get("move_id")])
    elif model == "account.move" and (created or "state" in fields):
        for i in ids:
            for lid in w.referencing("account.move.line", "move_id", i):
                _touch_po_line(env, w.tables["account.move.line"][lid].get("purchase_line_id"))
    elif model == "stock.picking" and (created or "state" in fields):
        w.touch("purchase.order", [w.tables[model][i].get("purchase_id") for i in ids if i in w.tables[model]])


def _new_company(env: Env, company: int) -> None:
    """What Odoo sets up for a new company: a warehouse (stock), a vendor-bill journal and expense
    accounts (the chart of accounts)."""
    rec = env.world.tables["res.company"][company]
    code = "".join(ch for ch in str(rec.get("name") or "WH").upper() if ch.isalnum())[:5] or f"WH{company}"
    env.create("stock.warehouse", {"name": rec.get("name"), "code": code, "company_id": company})
    env.create("account.journal", {"name": "Vendor Bills", "code": "BILL", "type": "purchase", "company_id": company})
    for code_, name in (("600000", "Expenses"), ("600100", "Freight and delivery costs")):
        env.create("account.account", {"code": code_, "name": name, "account_type": "expense",
                                       "company_ids": [(6, 0, [company])]})


def _new_warehouse(env: Env, warehouse: int) -> None:
    """Odoo creates a warehouse's operation types with it; the receipt type is the one purchasing uses."""
    rec = env.world.tables["stock.warehouse"][warehouse]
    if rec.get("in_type_id"):
        return
    ptype = env.create("stock.picking.type", {"name": "Receipts", "code": "incoming", "sequence_code": "IN",
                                              "warehouse_id": warehouse, "company_id": rec["company_id"]})
    env.world.raw_set("stock.warehouse", warehouse, "in_type_id", ptype)


def _touch_po_line(env: Env, line_id: int | None) -> None:
    line = env.world.tables["purchase.order.line"].get(line_id or 0)
    if line:
        env.world.touch("purchase.order.line", [line["id"]])
        env.world.touch("purchase.order", [line.get("order_id")])


# -- purchase --------------------------------------------------------------------------------------

def po_button_confirm(env: Env, ids: list[int]) -> bool:
    for order in env.browse("purchase.order", ids):
        if order.get("state") not in ("draft", "sent"):
            continue
        env.write("purchase.order", [order["id"]], {"state": "purchase", "date_approve": env.world.tx_now})
        _create_receipt(env, order)
    return True


def _is_goods(env: Env, product_id: int | None) -> bool:
    product = env.world.tables["product.product"].get(product_id or 0)
    return product is not None and env.get("product.product", product, "type") == "consu"


def _create_receipt(env: Env, order: dict[str, Any]) -> None:
    lines = [env.world.tables["purchase.order.line"][i]
             for i in env.world.referencing("purchase.order.line", "order_id", order["id"])]
    goods = [line for line in lines if not line.get("display_type") and _is_goods(env, line.get("product_id"))]
    if not goods:
        return
    picking = env.create("stock.picking", {
        "partner_id": order["partner_id"], "picking_type_id": order.get("picking_type_id"),
        "origin": order["name"], "purchase_id": order["id"], "company_id": order["company_id"],
        "state": "assigned", "scheduled_date": order.get("date_order")})
    for line in goods:
        # Odoo 17+ fills an incoming move's quantity with its demand; receiving less means lowering it.
        env.create("stock.move", {
            "picking_id": picking, "product_id": line["product_id"], "purchase_line_id": line["id"],
            "name": line.get("name"), "product_uom_qty": line["product_qty"], "quantity": line["product_qty"],
            "product_uom": line.get("product_uom"), "state": "assigned", "picked": False,
            "origin": order["name"], "company_id": order["company_id"]})


def po_button_cancel(env: Env, ids: list[int]) -> None:
    from erp.sandbox.computed import po_invoice_ids

    for order in env.browse("purchase.order", ids):
        for move_id in po_invoice_ids(env, "purchase.order", order):
            if env.world.tables["account.move"][move_id].get("state") not in ("cancel", "draft"):
                raise UserErrorFault("Unable to cancel this purchase order. You must first cancel the related "
                                     "vendor bills.")
        for pid in env.world.referencing("stock.picking", "purchase_id", order["id"]):
            picking = env.world.tables["stock.picking"][pid]
            if picking.get("state") in ("done", "cancel"):
                continue
            for mid in env.world.referencing("stock.move", "picking_id", pid):
                env.write("stock.move", [mid], {"state": "cancel"})
            env.write("stock.picking", [pid], {"state": "cancel"})
        env.write("purchase.order", [order["id"]], {"state": "cancel"})


def po_button_draft(env: Env, ids: list[int]) -> dict[str, Any]:
    for order in env.browse("purchase.order", ids):
        if order.get("state") == "cancel":
            env.write("purchase.order", [order["id"]], {"state": "draft"})
    return {}


def po_button_done(env: Env, ids: list[int]) -> None:
    env.write("purchase.order", ids, {"state": "done"})


# -- receipts ---------------------------------------------------------------------------------------

def picking_button_validate(env: Env, ids: list[int]) -> Any:
    pickings = env.browse("stock.picking", ids)
    need_backorder = []
    for picking in pickings:
        if picking.get("state") in ("done", "cancel"):
            raise UserErrorFault(f"The transfer {picking.get('name')} is already {picking.get('state')}.")
        moves = _active_moves(env, picking["id"])
        if not any(m.get("picked") for m in moves):
            # Odoo 17+: when nothing is marked picked, validating picks everything as it stands.
            for move in moves:
                env.write("stock.move", [move["id"]], {"picked": True})
        if not any(_d(m.get("quantity")) > 0 and m.get("picked") for m in moves):
            raise UserErrorFault("You cannot validate a transfer if no quantities are reserved nor done. To force "
                                 "the transfer, encode quantities.")
        if any(_short(m) for m in moves):
            need_backorder.append(picking["id"])
    if need_backorder and not env.context.get("skip_backorder"):
        return {
            "name": "Create Backorder?", "type": "ir.actions.act_window", "view_mode": "form",
            "res_model": "stock.backorder.confirmation", "views": [[False, "form"]], "view_id": False,
            "target": "new",
            "context": {**{k: v for k, v in env.context.items() if k != "allowed_company_ids"},
                        "button_validate_picking_ids": [p["id"] for p in pickings],
                        "default_show_transfers": False,
                        "default_pick_ids": [[4, pid] for pid in need_backorder]},
        }
    keep = not env.context.get("cancel_backorder")
    for picking in pickings:
        _done(env, picking, keep_backorder=keep)
    return True


def _active_moves(env: Env, picking_id: int) -> list[dict[str, Any]]:
    moves = env.world.tables["stock.move"]
    return [moves[i] for i in env.world.referencing("stock.move", "picking_id", picking_id)
            if moves[i].get("state") not in ("done", "cancel")]


def _short(move: dict[str, Any]) -> bool:
    done = _d(move.get("quantity")) if move.get("picked") else ZERO
    return done < _d(move.get("product_uom_qty"))


def _done(env: Env, picking: dict[str, Any], *, keep_backorder: bool) -> None:
    backorder: int | None = None
    for move in _active_moves(env, picking["id"]):
        done = _d(move.get("quantity")) if move.get("picked") else ZERO
        remaining = _d(move.get("product_uom_qty")) - done
        if remaining > 0:
            if keep_backorder and backorder is None:
                backorder = env.create("stock.picking", {
                    "partner_id": picking.get("partner_id"), "picking_type_id": picking["picking_type_id"],
                    "origin": picking.get("origin"), "purchase_id": picking.get("purchase_id"),
                    "backorder_id": picking["id"], "company_id": picking["company_id"], "state": "assigned",
                    "scheduled_date": picking.get("scheduled_date")})
            if done == 0:
                if keep_backorder:
                    env.write("stock.move", [move["id"]], {"picking_id": backorder, "picked": False})
                else:
                    env.write("stock.move", [move["id"]], {"state": "cancel", "quantity": 0})
                continue
            split: dict[str, Any] = {
                "product_id": move["product_id"], "purchase_line_id": move.get("purchase_line_id"),
                "name": move.get("name"), "product_uom_qty": remaining, "product_uom": move.get("product_uom"),
                "origin": move.get("origin"), "company_id": move["company_id"], "picked": False}
            if keep_backorder:
                env.create("stock.move", {**split, "picking_id": backorder, "quantity": remaining,
                                          "state": "assigned"})
            else:
                env.create("stock.move", {**split, "picking_id": picking["id"], "quantity": 0, "state": "cancel"})
            env.write("stock.move", [move["id"]], {"product_uom_qty": done})
        if done > 0:
            env.write("stock.move", [move["id"]], {"state": "done", "quantity": done})
    env.write("stock.picking", [picking["id"]], {"state": "done", "date_done": env.world.tx_now})


def backorder_process(env: Env, ids: list[int]) -> bool:
    return _backorder(env, ids, keep=True)


def backorder_process_cancel(env: Env, ids: list[int]) -> bool:
    return _backorder(env, ids, keep=False)


def _backorder(env: Env, ids: list[int], *, keep: bool) -> bool:
    for wizard in env.browse("stock.backorder.confirmation", ids):
        for pid in wizard.get("pick_ids") or []:
            picking = env.rec("stock.picking", pid)
            if picking.get("state") not in ("done", "cancel"):
                _done(env, picking, keep_backorder=keep)
    return True


# -- bills ------------------------------------------------------------------------------------------

def move_action_post(env: Env, ids: list[int]) -> bool:
    for move in env.browse("account.move", ids):
        if move.get("state") == "posted":
            raise UserErrorFault(f"The entry {move.get('name')} (id {move['id']}) is already posted.")
        if move.get("state") == "cancel":
            raise UserErrorFault("You can't post a cancelled entry; reset it to draft first.")
        is_bill = move.get("move_type") in BILL_TYPES
        if is_bill and not move.get("partner_id"):
            raise UserErrorFault("The field 'Vendor' is required, please complete it to validate the Vendor Bill.")
        if is_bill and not move.get("invoice_date"):
            raise UserErrorFault("The Bill/Refund date is required to validate this document.")
        lines = env.world.referencing("account.move.line", "move_id", move["id"])
        if not lines:
            raise UserErrorFault("You need to add a line before posting.")
        vals: dict[str, Any] = {"state": "posted"}
        if move.get("name") in (None, "/"):
            journal = env.world.tables["account.journal"].get(move.get("journal_id") or 0) or {}
            code = journal.get("code") or "MISC"
            prefix = f"R{code}" if move.get("move_type") == "in_refund" else code
            year = (move.get("invoice_date") or move.get("date") or env.world.tx_now.date()).year
            key = f"{prefix}/{year}"
            vals["name"] = f"{key}/{env.world.next_sequence(key):05d}"
        if not move.get("invoice_date_due") and move.get("invoice_date"):
            vals["invoice_date_due"] = move["invoice_date"]
        env.write("account.move", [move["id"]], vals)
    return False


def move_button_draft(env: Env, ids: list[int]) -> None:
    for move in env.browse("account.move", ids):
        if move.get("state") in ("posted", "cancel"):
            env.write("account.move", [move["id"]], {"state": "draft"})
    # Odoo's button_draft returns nothing: XML-RPC then fails with "cannot marshal None"


def move_button_cancel(env: Env, ids: list[int]) -> None:
    for move in env.browse("account.move", ids):
        if move.get("state") == "posted":
            env.write("account.move", [move["id"]], {"state": "draft"})
        if env.world.tables["account.move"][move["id"]].get("state") != "draft":
            raise UserErrorFault("Only draft journal entries can be cancelled.")
        env.write("account.move", [move["id"]], {"state": "cancel"})


METHODS: dict[tuple[str, str], Method] = {
    ("purchase.order", "button_confirm"): po_button_confirm,
    ("purchase.order", "button_cancel"): po_button_cancel,
    ("purchase.order", "button_draft"): po_button_draft,
    ("purchase.order", "button_done"): po_button_done,
    ("stock.picking", "button_validate"): picking_button_validate,
    ("stock.backorder.confirmation", "process"): backorder_process,
    ("stock.backorder.confirmation", "process_cancel_backorder"): backorder_process_cancel,
    ("account.move", "action_post"): move_action_post,
    ("account.move", "button_draft"): move_button_draft,
    ("account.move", "button_cancel"): move_button_cancel,
}
