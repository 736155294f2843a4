"""The snapshot is the contract with the ERP side: Odoo 18 names, ids that resolve, decimal strings,
and it imports into the mirror through ``payables erp import``'s own code."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from erp.snapshot_import import import_snapshot
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from models.mirror import PurchaseOrder, PurchaseOrderLine, ReceiptLine, Vendor, VendorBankAccount, VendorBill
from synth.snapshot import FORMAT

# many2one fields and the model they point at
REFERENCES = {
    "res.company": {"currency_id": "res.currency"},
    "stock.warehouse": {"company_id": "res.company"},
    "stock.picking.type": {"warehouse_id": "stock.warehouse", "company_id": "res.company"},
    "res.partner.bank": {"partner_id": "res.partner"},
    "uom.uom": {"category_id": "uom.category"},
    "product.product": {"uom_id": "uom.uom", "uom_po_id": "uom.uom", "categ_id": "product.category"},
    "product.supplierinfo": {"partner_id": "res.partner", "product_id": "product.product",
                             "currency_id": "res.currency"},
    "account.tax": {"company_id": "res.company"},
    "purchase.order": {"partner_id": "res.partner", "currency_id": "res.currency", "company_id": "res.company",
                       "picking_type_id": "stock.picking.type"},
    "purchase.order.line": {"order_id": "purchase.order", "product_id": "product.product", "product_uom": "uom.uom"},
    "stock.picking": {"partner_id": "res.partner", "picking_type_id": "stock.picking.type",
                      "purchase_id": "purchase.order", "backorder_id": "stock.picking"},
    "stock.move": {"picking_id": "stock.picking", "product_id": "product.product",
                   "purchase_line_id": "purchase.order.line", "product_uom": "uom.uom"},
    "account.move": {"partner_id": "res.partner", "currency_id": "res.currency", "company_id": "res.company"},
}
MONEY = {"purchase.order": ("amount_untaxed", "amount_tax", "amount_total"),
         "purchase.order.line": ("product_qty", "price_unit", "qty_received", "qty_invoiced", "price_subtotal"),
         "account.move": ("amount_untaxed", "amount_tax", "amount_total"), "uom.uom": ("factor", "factor_inv"),
         "product.supplierinfo": ("price",), "account.tax": ("amount",), "stock.move": ("product_uom_qty", "quantity")}


@pytest.fixture(scope="module")
def snapshot(written_world: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((written_world / "snapshot.json").read_text(encoding="utf-8"))
    return data


def test_header_and_models(snapshot: dict[str, Any]) -> None:
    assert snapshot["format"] == FORMAT and snapshot["seed"] == 11 and snapshot["generated_for"] == "2025-06-30"
    assert set(snapshot["models"]) >= set(REFERENCES) | {"res.currency", "res.partner", "uom.category",
                                                         "product.category"}
    assert len(snapshot["models"]["stock.warehouse"]) == 13  # twelve clinics and the central store
    assert len(snapshot["models"]["res.company"]) == 2


def test_every_reference_resolves(snapshot: dict[str, Any]) -> None:
    models = snapshot["models"]
    ids = {name: {r["id"] for r in records} for name, records in models.items()}
    for name, fields in REFERENCES.items():
        for record in models[name]:
            for field, target in fields.items():
                value = record[field]
                assert value is None or value in ids[target], (name, field, value)
    taxes = ids["account.tax"]
    assert all(set(line["taxes_id"]) <= taxes and line["taxes_id"] for line in models["purchase.order.line"])


def test_money_is_decimal_strings_and_dates_are_iso(snapshot: dict[str, Any]) -> None:
    models = snapshot["models"]
    for name, fields in MONEY.items():
        for record in models[name]:
            for field in fields:
                assert isinstance(record[field], str), (name, field)
                Decimal(record[field])
    po = models["purchase.order"][0]
    assert po["date_order"].endswith("Z") and "T" in po["date_order"]
    bill = models["account.move"][0]
    assert len(bill["invoice_date"]) == 10 and "billed" not in bill
    box = next(u for u in models["uom.uom"] if u["name"] == "Box of 100")
    assert (box["uom_type"], box["factor"], box["factor_inv"]) == ("bigger", "0.01", "100")


def test_it_imports_into_the_mirror(snapshot: dict[str, Any], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mirror.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        report = import_snapshot(snapshot, sessions)
        models = snapshot["models"]
        with sessions() as s:
            assert s.scalar(select(func.count()).select_from(PurchaseOrder)) == len(models["purchase.order"])
            assert s.scalar(select(func.count()).select_from(PurchaseOrderLine)) == \
                len(models["purchase.order.line"])
            assert s.scalar(select(func.count()).select_from(VendorBill)) == len(models["account.move"])
            assert s.scalar(select(func.count()).select_from(ReceiptLine)) == len(models["stock.move"])
            limited = [p for p in models["res.partner"] if p["x_invoice_limit"]]
            assert limited
            vendor = s.get(Vendor, limited[0]["id"])
            assert vendor is not None and vendor.invoice_limit == Decimal(limited[0]["x_invoice_limit"])
            assert s.scalar(select(func.count()).select_from(VendorBankAccount)) == len(models["res.partner.bank"])
            line = models["purchase.order.line"][0]
            mirrored = s.get(PurchaseOrderLine, line["id"])
            assert mirrored is not None and mirrored.qty_received == Decimal(line["qty_received"])
        assert report.models["purchase.order"] == len(models["purchase.order"])
    finally:
        engine.dispose()
