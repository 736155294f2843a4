"""The sandbox behaves as Odoo 18 does where the connector relies on it: receipts with backorders,
``qty_received`` from done moves, ``qty_invoiced`` counting drafts but not cancelled bills, duplicate
references flagged and not blocked, all-or-nothing calls, and write_date bumped on recompute."""

from __future__ import annotations

from typing import Any

import pytest

from erp.client import OdooClient
from erp.errors import ErpServerError, ErpUserError
from erp.sandbox import SandboxServer


def new_order(odoo: OdooClient, qty: float = 10) -> tuple[int, int]:
    partner = odoo.search("res.partner", [("supplier_rank", ">", 0)], limit=1)[0]
    product = odoo.search("product.product", [("type", "=", "consu")], limit=1)[0]
    order = odoo.create("purchase.order", {"partner_id": partner, "order_line": [
        (0, 0, {"product_id": product, "product_qty": qty, "price_unit": 4.1, "taxes_id": [(6, 0, [1])]})]})
    odoo.call("purchase.order", "button_confirm", [order])
    line = odoo.search("purchase.order.line", [("order_id", "=", order)])[0]
    return order, line


def receive(odoo: OdooClient, order: int, qty: float, *, keep_backorder: bool = True) -> Any:
    picking = odoo.search("stock.picking", [("purchase_id", "=", order), ("state", "=", "assigned")])[0]
    for move in odoo.search("stock.move", [("picking_id", "=", picking)]):
        odoo.write("stock.move", [move], {"quantity": qty, "picked": True})
    action = odoo.call("stock.picking", "button_validate", [picking])
    if isinstance(action, dict):
        wizard_odoo = odoo.with_context(**action["context"])
        wizard = wizard_odoo.create(action["res_model"], {})
        wizard_odoo.call(action["res_model"], "process" if keep_backorder else "process_cancel_backorder", [wizard])
    return action


def line(odoo: OdooClient, line_id: int) -> dict[str, Any]:
    return odoo.read("purchase.order.line", [line_id], ["qty_received", "qty_invoiced", "write_date"])[0]


def test_a_partial_receipt_asks_for_a_backorder_and_counts_only_what_was_done(client: OdooClient) -> None:
    order, line_id = new_order(client, 10)
    action = receive(client, order, 4)
    assert action["res_model"] == "stock.backorder.confirmation"
    assert line(client, line_id)["qty_received"] == 4
    pickings = client.search_read("stock.picking", [("purchase_id", "=", order)], ["state", "backorder_id"],
                                  order="id")
    assert [p["state"] for p in pickings] == ["done", "assigned"]
    assert pickings[1]["backorder_id"][0] == pickings[0]["id"]
    receive(client, order, 6)
    assert line(client, line_id)["qty_received"] == 10
    assert client.read("purchase.order", [order], ["receipt_status"])[0]["receipt_status"] == "full"


def test_cancelling_the_backorder_leaves_nothing_to_receive(client: OdooClient) -> None:
    order, line_id = new_order(client, 10)
    receive(client, order, 3, keep_backorder=False)
    assert client.search("stock.picking", [("purchase_id", "=", order), ("state", "=", "assigned")]) == []
    assert client.read("purchase.order", [order], ["receipt_status"])[0]["receipt_status"] == "full"
    assert line(client, line_id)["qty_received"] == 3


def test_qty_invoiced_counts_draft_bills_and_drops_cancelled_ones(client: OdooClient) -> None:
    order, line_id = new_order(client, 10)
    receive(client, order, 10)
    partner = client.read("purchase.order", [order], ["partner_id"])[0]["partner_id"][0]
    bill = client.create("account.move", {"move_type": "in_invoice", "partner_id": partner, "ref": "R-1",
                                          "invoice_date": "2025-03-10", "invoice_line_ids": [
                                              (0, 0, {"purchase_line_id": line_id, "quantity": 7, "price_unit": 4.1})]})
    assert line(client, line_id)["qty_invoiced"] == 7  # a draft counts, as in Odoo
    client.call("account.move", "button_cancel", [bill])
    assert line(client, line_id)["qty_invoiced"] == 0


def test_a_repeated_vendor_reference_is_flagged_not_blocked(client: OdooClient) -> None:
    partner = client.search("res.partner", [("supplier_rank", ">", 0)], limit=1)[0]
    vals = {"move_type": "in_invoice", "partner_id": partner, "ref": "DUP-1", "invoice_date": "2025-03-10",
            "invoice_line_ids": [(0, 0, {"name": "x", "quantity": 1, "price_unit": 10})]}
    first, second = client.create("account.move", vals), client.create("account.move", vals)
    client.call("account.move", "action_post", [second])
    rows = client.read("account.move", [second], ["state", "duplicated_ref_ids", "name"])
    assert rows[0]["state"] == "posted" and rows[0]["duplicated_ref_ids"] == [first]
    assert rows[0]["name"].startswith("BILL/2025/")


def test_posting_needs_a_bill_date_and_a_posted_bill_cannot_be_deleted(client: OdooClient) -> None:
    partner = client.search("res.partner", [("supplier_rank", ">", 0)], limit=1)[0]
    bill = client.create("account.move", {"move_type": "in_invoice", "partner_id": partner, "ref": "D-1",
                                          "invoice_line_ids": [(0, 0, {"name": "x", "quantity": 1, "price_unit": 1})]})
    with pytest.raises(ErpUserError, match="Bill/Refund date is required"):
        client.call("account.move", "action_post", [bill])
    client.write("account.move", [bill], {"invoice_date": "2025-03-01"})
    client.call("account.move", "action_post", [bill])
    with pytest.raises(ErpUserError, match="posted once"):
        client.unlink("account.move", [bill])


def test_a_failing_call_changes_nothing(client: OdooClient) -> None:
    partner = client.search("res.partner", [("supplier_rank", ">", 0)], limit=1)[0]
    before = client.search_count("account.move.line", [])
    with pytest.raises(ErpServerError, match="foreign key"):
        client.create("account.move", {"move_type": "in_invoice", "partner_id": partner, "ref": "BAD",
                                       "invoice_line_ids": [(0, 0, {"name": "ok", "quantity": 1, "price_unit": 1}),
                                                            (0, 0, {"product_id": 999999, "quantity": 1})]})
    assert client.search("account.move", [("ref", "=", "BAD")]) == []
    assert client.search_count("account.move.line", []) == before


def test_receiving_goods_bumps_the_order_line_write_date(client: OdooClient, sandbox: SandboxServer) -> None:
    """qty_received is a stored computed field: its recompute stamps the line (and the order), which is
    what lets an incremental sync by write_date see a receipt."""
    order, line_id = new_order(client, 5)
    tables = sandbox.world.tables
    line_before = tables["purchase.order.line"][line_id]["write_date"]
    order_before = tables["purchase.order"][order]["write_date"]
    receive(client, order, 5)
    assert tables["purchase.order.line"][line_id]["write_date"] > line_before
    assert tables["purchase.order"][order]["write_date"] > order_before
