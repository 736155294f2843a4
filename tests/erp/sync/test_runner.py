"""The mirror sync against the sandbox: a full sync gives the mirror the snapshot import gives; an
incremental one reads only what changed and reflects receipts, new and cancelled orders, new bank
accounts and deletions; an interrupted one is simply run again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient
from erp.errors import ErpUnavailable
from erp.sandbox import SandboxServer
from erp.snapshot_import import import_snapshot
from erp.sync import sync_mirror
from models import mirror as M
from models.db import make_engine, make_session_factory
from tests.erp.conftest import make_client

TABLES = (M.Company, M.Site, M.Vendor, M.VendorBankAccount, M.VendorEmailDomain, M.Uom, M.Product, M.SupplierInfo,
          M.Tax, M.PurchaseOrder, M.PurchaseOrderLine, M.Receipt, M.ReceiptLine, M.VendorBill)


def dump(sessions: sessionmaker[Session]) -> dict[str, dict[Any, dict[str, Any]]]:
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    with sessions() as s:
        for table in TABLES:
            rows = s.execute(select(table)).scalars().all()
            out[table.__name__] = {
                getattr(r, "id", None) or (r.vendor_id, r.domain): {
                    k: v for k, v in vars(r).items() if not k.startswith("_") and k not in ("synced_at", "write_date")}
                for r in rows}
    return out


@pytest.fixture
def other_sessions(migrated_db: Any, tmp_path: Any) -> sessionmaker[Session]:
    import shutil

    path = tmp_path / "imported.db"
    shutil.copy(migrated_db, path)
    return make_session_factory(make_engine(f"sqlite:///{path}"))


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_a_full_sync_gives_the_mirror_the_snapshot_import_gives(
        sandbox: SandboxServer, snapshot: dict[str, Any], sessions: sessionmaker[Session],
        other_sessions: sessionmaker[Session], protocol: str) -> None:
    import_snapshot(snapshot, other_sessions)
    with make_client(sandbox, protocol) as odoo:
        report = sync_mirror(odoo, sessions, full=True)
    assert report.models["purchase.order"].read == 10  # 12 in the world, two of them drafts
    synced, imported = dump(sessions), dump(other_sessions)
    assert synced == imported
    assert synced["PurchaseOrder"] and synced["ReceiptLine"] and synced["VendorBill"] and synced["VendorEmailDomain"]


def test_the_mirror_holds_only_what_matching_needs(client: OdooClient, sessions: sessionmaker[Session]) -> None:
    sync_mirror(client, sessions, full=True)
    with sessions() as s:
        states = set(s.execute(select(M.PurchaseOrder.state)).scalars())
        vendors = set(s.execute(select(M.Vendor.name)).scalars())
        lines_of_drafts = s.execute(select(M.PurchaseOrderLine).where(
            M.PurchaseOrderLine.order_id.in_([605, 611]))).scalars().all()
    assert states == {"purchase", "done", "cancel"}
    assert "A customer, not a vendor" not in vendors
    # Vendors with supplier_rank 0 that appear on POs are vendors all the same.
    assert "Medi Supply GmbH" in vendors
    assert lines_of_drafts == []


def _receive_backorder(odoo: OdooClient, order: int) -> None:
    picking = odoo.search("stock.picking", [("purchase_id", "=", order), ("state", "=", "assigned")])[0]
    for move in odoo.search("stock.move", [("picking_id", "=", picking)]):
        odoo.write("stock.move", [move], {"picked": True})
    assert odoo.call("stock.picking", "button_validate", [picking]) is True


def test_an_incremental_sync_reads_what_changed_and_nothing_else(client: OdooClient, sandbox: SandboxServer,
                                                                 sessions: sessionmaker[Session]) -> None:
    sync_mirror(client, sessions, full=True)
    odoo = client.for_companies(client.user_company_ids())
    # A receipt booked on a partly received order, a new order confirmed, an order cancelled, a new bank
    # account for a vendor, a price-list entry deleted.
    partial = 603  # make_snapshot: order 3 was half received, with a backorder waiting
    _receive_backorder(odoo, partial)
    new = odoo.create("purchase.order", {"partner_id": 101, "company_id": 1, "order_line": [
        (0, 0, {"product_id": 300, "product_qty": 5, "price_unit": 2})]})
    odoo.call("purchase.order", "button_confirm", [new])
    odoo.call("purchase.order", "button_cancel", [601])
    odoo.create("res.partner.bank", {"partner_id": 102, "acc_number": "DE02 1203 0000 0000 2020 51"})
    odoo.unlink("product.supplierinfo", [400])

    with sessions() as s:
        mark = s.get(M.SyncWatermark, "purchase.order")
        assert mark is not None and mark.last_write_date is not None
        since = mark.last_write_date.replace(tzinfo=None, microsecond=0)
    report = sync_mirror(client, sessions, overlap_s=0)
    assert report.models["purchase.order"].incremental
    # What changed, and what Odoo stamped at or after the watermark's second (it speaks in seconds):
    # nothing else is read.
    expected = {i for i, r in sandbox.world.tables["purchase.order"].items() if r["write_date"] >= since}
    assert {601, partial, new} <= expected and len(expected) < 10
    assert report.models["purchase.order"].read == len(expected)
    with sessions() as s:
        lines = s.execute(select(M.PurchaseOrderLine).where(M.PurchaseOrderLine.order_id == partial)).scalars().all()
        assert lines and all(ln.qty_received == ln.product_qty for ln in lines if ln.product_id != 305)
        assert s.get(M.PurchaseOrder, partial).receipt_status == "full"  # type: ignore[union-attr]
        assert s.get(M.PurchaseOrder, new) is not None
        assert s.execute(select(M.PurchaseOrderLine).where(M.PurchaseOrderLine.order_id == new)).scalars().all()
        assert s.get(M.PurchaseOrder, 601).state == "cancel"  # type: ignore[union-attr]
        assert s.execute(select(M.Receipt).where(M.Receipt.order_id == new)).scalars().all()
        assert "DE02120300000000202051" in set(s.execute(select(M.VendorBankAccount.sanitized)).scalars())
        assert s.get(M.SupplierInfo, 400) is None


def test_an_order_reset_to_draft_or_deleted_leaves_the_mirror(client: OdooClient,
                                                              sessions: sessionmaker[Session]) -> None:
    sync_mirror(client, sessions, full=True)
    odoo = client.for_companies(client.user_company_ids())
    for order in (601, 607):
        odoo.call("purchase.order", "button_cancel", [order])
        odoo.call("purchase.order", "button_draft", [order])
    odoo.unlink("purchase.order", [607])
    sync_mirror(client, sessions)
    with sessions() as s:
        for order in (601, 607):
            assert s.get(M.PurchaseOrder, order) is None
            assert s.execute(select(M.PurchaseOrderLine).where(M.PurchaseOrderLine.order_id == order)).all() == []


def test_an_interrupted_sync_is_completed_by_the_next_run(sandbox: SandboxServer, snapshot: dict[str, Any],
                                                          sessions: sessionmaker[Session],
                                                          other_sessions: sessionmaker[Session]) -> None:
    sandbox.add_fault("down", model="stock.picking", times=None)
    with make_client(sandbox, max_attempts=2) as odoo, pytest.raises(ErpUnavailable):
        sync_mirror(odoo, sessions, full=True)
    with sessions() as s:
        assert s.get(M.SyncWatermark, "stock.picking") is None  # never finished: no watermark
        assert s.get(M.SyncWatermark, "purchase.order") is not None
    sandbox.faults.clear()
    with make_client(sandbox) as odoo:
        sync_mirror(odoo, sessions)
    import_snapshot(snapshot, other_sessions)
    assert dump(sessions) == dump(other_sessions)


def test_qty_is_exact_decimal_in_the_mirror(client: OdooClient, sessions: sessionmaker[Session]) -> None:
    sync_mirror(client, sessions, full=True)
    with sessions() as s:
        prices = s.execute(select(M.PurchaseOrderLine.price_unit)).scalars().all()
    assert Decimal("0.35") in prices and all(isinstance(p, Decimal) for p in prices)
