"""Odoo records → mirror rows: the rules the sync, the snapshot import and the refresh share."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from erp.sync import mapping
from erp.sync.mapping import Lookups


def test_vendor_vat_is_normalised_and_odoo_false_is_empty() -> None:
    row = mapping.vendor_row({"id": 7, "name": "Medi Supply GmbH", "vat": "de 136.695.976", "email": False,
                              "country_code": "DE", "x_invoice_limit": "5000.00", "write_date": "2025-03-01 10:00:00"},
                             Lookups())
    assert row is not None
    assert (row["vat_normalised"], row["email"], row["invoice_limit"]) == ("DE136695976", None, Decimal("5000.00"))
    assert row["write_date"] == datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def test_email_domains_skip_shared_mailbox_providers_and_include_contacts() -> None:
    record = {"id": 1, "email": "Billing <billing@Medi-Supply.example>",
              "child_ids": [{"id": 2, "email": "anna@medi-supply.de"}, {"id": 3, "email": "bob@gmail.com"}]}
    assert mapping.vendor_domains(record) == {"medi-supply.example", "medi-supply.de"}


def test_orders_outside_purchase_done_cancel_do_not_belong() -> None:
    base = {"id": 1, "name": "P00001", "partner_id": [5, "Vendor"], "currency_id": [1, "EUR"]}
    assert mapping.order_row({**base, "state": "draft"}, Lookups()) is None
    row = mapping.order_row({**base, "state": "cancel", "picking_type_id": {"id": 3, "warehouse_id": 2}}, Lookups())
    assert row is not None and (row["state"], row["currency"], row["vendor_id"], row["site_id"]) == ("cancel", "EUR",
                                                                                                      5, 2)


def test_site_and_currency_come_from_lookups_when_not_nested() -> None:
    lookups = Lookups()
    lookups.learn("res.currency", {"id": 2, "name": "USD"})
    lookups.learn("stock.picking.type", {"id": 9, "warehouse_id": 4, "code": "incoming"})
    row = mapping.order_row({"id": 1, "name": "P1", "state": "purchase", "partner_id": 5, "currency_id": 2,
                             "picking_type_id": 9}, lookups)
    assert row is not None and (row["currency"], row["site_id"]) == ("USD", 4)


def test_only_a_done_move_counts_as_received() -> None:
    move = {"id": 1, "picking_id": 3, "purchase_line_id": 8, "quantity": 10.0, "product_uom": [1, "Units"]}
    assert mapping.receipt_line_row({**move, "state": "assigned"}, Lookups())["quantity"] == 0  # type: ignore[index]
    assert mapping.receipt_line_row({**move, "state": "done"}, Lookups())["quantity"] == Decimal("10.0")  # type: ignore[index]


def test_receipts_are_incoming_pickings_only() -> None:
    assert mapping.receipt_row({"id": 1, "picking_type_code": "outgoing"}, Lookups()) is None
    assert mapping.receipt_row({"id": 1, "picking_type_code": "incoming", "state": "done"}, Lookups()) is not None


def test_products_of_odoo_17_storable_type_are_goods() -> None:
    row = mapping.product_row({"id": 1, "name": "Gloves", "type": "product", "categ_id": [3, "All / Medical"]},
                              Lookups())
    assert row is not None and (row["type"], row["category"]) == ("consu", "All / Medical")


def test_a_template_price_applies_to_its_variant() -> None:
    lookups = Lookups()
    lookups.learn("product.product", {"id": 31, "product_tmpl_id": [30, "Gloves"]})
    row = mapping.supplierinfo_row({"id": 1, "partner_id": 5, "product_id": False, "product_tmpl_id": [30, "Gloves"],
                                    "product_code": "GL-9", "price": 4.1}, lookups)
    assert row is not None and (row["product_id"], row["price"]) == (31, Decimal("4.1"))


def test_bills_keep_a_normalised_reference_and_drop_odoo_draft_names() -> None:
    row = mapping.bill_row({"id": 1, "move_type": "in_invoice", "name": "/", "ref": "inv-2025/0042",
                            "invoice_date": "2025-03-05", "amount_total": 119.0, "state": "draft"}, Lookups())
    assert row is not None and (row["name"], row["ref_normalised"], row["invoice_date"]) == (None, "INV20250042",
                                                                                            "2025-03-05")
    assert mapping.bill_row({"id": 2, "move_type": "out_invoice"}, Lookups()) is None
