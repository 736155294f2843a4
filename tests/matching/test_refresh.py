"""With Odoo configured, the match stage re-reads the orders an invoice names before matching: a
receipt booked in Odoo after the last sync counts (the sandbox Odoo, on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from erp.client import OdooClient, OdooConfig
from erp.sandbox import SandboxServer, new_world
from erp.snapshot_import import import_snapshot
from models import mirror as M
from models.base import utcnow
from models.db import transaction
from models.invoice import FieldValue, InvoiceData, LineItem
from models.matching import Hold
from payables.runtime import Runtime
from payables.settings import load_settings
from payables.stages import Next
from payables.stages import match as match_stage
from tests.erp.snapshots import make_snapshot
from tests.matching.sql_world import add_extracted

KEY = "matching-test-key"
CENT = Decimal("0.01")


@pytest.fixture
def odoo_and_rt(tmp_path: Path) -> Iterator[tuple[OdooClient, Runtime]]:
    snapshot = make_snapshot(orders=12)
    with SandboxServer(new_world(snapshot=snapshot, api_key=KEY)) as server:
        rt = Runtime.from_settings(load_settings(data_dir=tmp_path / "var", odoo_url=server.url, odoo_db="sandbox",
                                                 odoo_user="admin", odoo_api_key=KEY, mirror_max_age_s=60))
        import_snapshot(snapshot, rt.sessions)
        with OdooClient(OdooConfig(server.url, "sandbox", "admin", KEY, backoff_s=0.01)) as client:
            try:
                yield client, rt
            finally:
                rt.close()


def _invoice_for(rt: Runtime, order_id: int) -> InvoiceData:
    with rt.sessions() as s:
        order = s.get(M.PurchaseOrder, order_id)
        assert order is not None
        vendor = s.get(M.Vendor, order.vendor_id)
        iban = s.scalars(select(M.VendorBankAccount.sanitized).where(M.VendorBankAccount.vendor_id == order.vendor_id))
        lines = s.scalars(select(M.PurchaseOrderLine).where(M.PurchaseOrderLine.order_id == order_id,
                                                            M.PurchaseOrderLine.display_type.is_(None)))
        items, net, tax = [], Decimal(0), Decimal(0)
        for ln in lines:
            amount = (ln.product_qty * ln.price_unit).quantize(CENT)
            rates = s.scalars(select(M.Tax.amount).where(M.Tax.id.in_(ln.tax_ids or [])))
            tax += (amount * sum(rates, Decimal(0)) / 100).quantize(CENT)
            net += amount
            items.append(LineItem(fields={"description": FieldValue(ln.name, 0.99),
                                          "quantity": FieldValue(str(ln.product_qty), 0.99),
                                          "unit_price": FieldValue(str(ln.price_unit), 0.99),
                                          "amount": FieldValue(str(amount), 0.99)}))
        assert vendor is not None
        header = {"vendor_name": vendor.name, "vendor_vat": vendor.vat, "vendor_iban": next(iter(iban)),
                  "invoice_number": "R-603-1", "invoice_date": "2025-03-20", "currency": order.currency,
                  "po_number": order.name, "net_amount": str(net), "tax_amount": str(tax),
                  "total_amount": str(net + tax)}
        return InvoiceData(fields={k: FieldValue(v, 0.99) for k, v in header.items()}, lines=items,
                           po_numbers=[order.name])


def test_a_receipt_booked_in_odoo_after_the_sync_counts_when_matching(
        odoo_and_rt: tuple[OdooClient, Runtime]) -> None:
    odoo, rt = odoo_and_rt
    inv = _invoice_for(rt, 603)
    # The mirror's copy is older than the allowed age; in Odoo the pending receipt is now validated.
    with transaction(rt.sessions) as s:
        s.execute(update(M.PurchaseOrder).where(M.PurchaseOrder.id == 603)
                  .values(synced_at=utcnow() - timedelta(minutes=10)))
        doc_id = add_extracted(s, inv)
    scoped = odoo.for_companies(odoo.user_company_ids())
    picking = scoped.search("stock.picking", [("purchase_id", "=", 603), ("state", "=", "assigned")])[0]
    for move in scoped.search("stock.move", [("picking_id", "=", picking)]):
        scoped.write("stock.move", [move], {"picked": True})
    scoped.call("stock.picking", "button_validate", [picking])

    following = match_stage.run(rt, doc_id)
    with rt.sessions() as s:
        codes = sorted(s.scalars(select(Hold.code).where(Hold.document_id == doc_id, Hold.status == "open")))
    # Without the refresh the mirror would say nothing was received: QTY_OVER_RECEIVED on each line.
    assert codes == [] and following == [Next("post", doc_id)]
