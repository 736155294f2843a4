"""Read-through refresh: the POs an invoice names are re-read when the mirror's copy is too old, so a
receipt booked a minute ago counts; young copies cost no call; unknown numbers are looked up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient
from erp.refresh import refresh_orders
from erp.snapshot_import import import_snapshot
from models import mirror as M
from models.base import utcnow
from models.db import transaction


def test_a_receipt_booked_after_the_sync_counts(client: OdooClient, snapshot: dict[str, Any],
                                                sessions: sessionmaker[Session]) -> None:
    import_snapshot(snapshot, sessions)
    odoo = client.for_companies(client.user_company_ids())
    picking = odoo.search("stock.picking", [("purchase_id", "=", 603), ("state", "=", "assigned")])[0]
    for move in odoo.search("stock.move", [("picking_id", "=", picking)]):
        odoo.write("stock.move", [move], {"picked": True})
    odoo.call("stock.picking", "button_validate", [picking])
    with transaction(sessions) as s:
        report = refresh_orders(client, s, ["P00603"], max_age_s=60, now=utcnow() + timedelta(minutes=5))
    assert report.refreshed == [603]
    with sessions() as s:
        lines = s.execute(select(M.PurchaseOrderLine).where(M.PurchaseOrderLine.order_id == 603)).scalars().all()
        assert all(ln.qty_received == ln.product_qty for ln in lines if ln.product_id != 305)
        receipts = s.execute(select(M.Receipt).where(M.Receipt.order_id == 603)).scalars().all()
        assert {r.state for r in receipts} == {"done"}


def test_a_fresh_copy_costs_no_call(client: OdooClient, snapshot: dict[str, Any],
                                    sessions: sessionmaker[Session]) -> None:
    import_snapshot(snapshot, sessions)
    with transaction(sessions) as s:
        report = refresh_orders(client, s, ["P00603", 601], max_age_s=300)
    assert report.fresh == [601, 603] and report.refreshed == [] and report.calls == 0


def test_an_order_unknown_to_the_mirror_is_found_by_name_and_a_draft_is_not(
        client: OdooClient, sessions: sessionmaker[Session]) -> None:
    odoo = client.for_companies([1])
    new = odoo.create("purchase.order", {"name": "PO-NEW-1", "partner_id": 101, "order_line": [
        (0, 0, {"product_id": 300, "product_qty": 3, "price_unit": 1})]})
    odoo.call("purchase.order", "button_confirm", [new])
    with transaction(sessions) as s:
        report = refresh_orders(client, s, ["PO-NEW-1", "P00605", "NO-SUCH-PO"], max_age_s=300)
    assert report.refreshed == [new]
    assert report.not_found == ["NO-SUCH-PO", "P00605"]  # P00605 is a draft: not an order to bill against
    with sessions() as s:
        assert s.get(M.PurchaseOrder, new) is not None
        assert s.get(M.Vendor, 101) is not None  # its vendor came with it
        assert s.execute(select(M.Receipt).where(M.Receipt.order_id == new)).scalars().all()


def test_a_cancellation_in_odoo_reaches_the_mirror(client: OdooClient, snapshot: dict[str, Any],
                                                   sessions: sessionmaker[Session]) -> None:
    import_snapshot(snapshot, sessions)
    client.for_companies([1]).call("purchase.order", "button_cancel", [601])
    with transaction(sessions) as s:
        refresh_orders(client, s, [601], max_age_s=0)
    with sessions() as s:
        assert s.get(M.PurchaseOrder, 601).state == "cancel"  # type: ignore[union-attr]
