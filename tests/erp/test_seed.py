"""``payables erp seed``: a snapshot pushed into an empty Odoo through its API (POs confirmed, receipts
validated with the backorder wizard, bills posted) reads back, through the sync, as the same mirror the
snapshot imports to, by natural keys (Odoo gives its own ids); a second seed creates nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from erp.sandbox import SandboxServer, new_world
from erp.seed import seed_odoo
from erp.snapshot_import import import_snapshot
from erp.sync import sync_mirror
from models import mirror as M
from models.db import make_engine, make_session_factory
from tests.erp.conftest import API_KEY, make_client


def by_natural_keys(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as s:
        orders = {o.id: o for o in s.execute(select(M.PurchaseOrder)).scalars()}
        lines = {(orders[ln.order_id].name, ln.sequence): (
            orders[ln.order_id].state, ln.product_qty, ln.qty_received, ln.qty_invoiced, ln.price_unit,
            orders[ln.order_id].invoice_status, orders[ln.order_id].receipt_status, orders[ln.order_id].amount_total)
            for ln in s.execute(select(M.PurchaseOrderLine)).scalars()}
        receipts = sorted((orders[r.order_id].name, r.state, r.backorder_id is not None)
                          for r in s.execute(select(M.Receipt)).scalars())
        bills = sorted((b.ref, b.state, b.amount_total, b.move_type) for b in s.execute(select(M.VendorBill)).scalars())
        vendors = sorted((v.name, v.vat_normalised, v.email) for v in s.execute(select(M.Vendor)).scalars())
        banks = sorted(b.sanitized for b in s.execute(select(M.VendorBankAccount)).scalars())
    return {"lines": lines, "receipts": receipts, "bills": bills, "vendors": vendors, "banks": banks}


def test_a_seeded_odoo_syncs_back_to_the_snapshot(snapshot: dict[str, Any], sessions: sessionmaker[Session],
                                                  migrated_db: Path, tmp_path: Path) -> None:
    shutil.copy(migrated_db, tmp_path / "imported.db")
    imported = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'imported.db'}"))
    import_snapshot(snapshot, imported)
    with SandboxServer(new_world(api_key=API_KEY)) as server, make_client(server) as odoo:
        report = seed_odoo(odoo, snapshot)
        assert report.created["purchase.order"] == 12 and report.backorders >= 1 and report.bills_posted == 2
        sync_mirror(odoo, sessions, full=True)
        again = seed_odoo(odoo, snapshot)
        assert not again.created and again.found["purchase.order"] == 12
    assert by_natural_keys(sessions) == by_natural_keys(imported)
