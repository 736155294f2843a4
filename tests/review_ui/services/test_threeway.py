"""The three-way view read from matching's detail (version 1), defensively."""

from __future__ import annotations

from decimal import Decimal

from models.invoice import InvoiceData
from review_ui.services.threeway import three_way
from tests.review_ui.factories import InvoiceSpec, price_detail


def test_each_invoice_line_sits_beside_its_order_line_and_receipts() -> None:
    spec = InvoiceSpec()
    detail = price_detail(spec, ["11.90", "3.20"], ["8", "20"])
    view = three_way(detail, InvoiceData())
    first, second = view.rows
    assert (first.ref, first.po_name, first.po_line) == ("1", "P00042", "1. Nitrile gloves, box of 100")
    assert (first.invoice_qty, first.ordered_qty, first.received_qty) == (Decimal(10), Decimal(10), Decimal(8))
    assert first.open_to_bill == Decimal(8) and first.qty_over == Decimal(2)
    assert first.price_variance == Decimal("0.60") and first.price_variance_pct == Decimal("5.0")
    assert first.holds == ["PRICE_VARIANCE"] and first.receipts[0].name == "WH/IN/0007"
    assert second.price_variance == Decimal("0.00") and second.qty_over is None
    assert view.vendor == spec.vendor and view.vendor_method == "vat" and view.vendor_evidence == ["VAT id matches"]
    assert view.orders == ["P00042"] and view.routing == ["PRICE_VARIANCE"]


def test_lines_that_are_not_on_an_order_are_shown_too() -> None:
    detail = price_detail(InvoiceSpec(), ["12.50", "3.20"], ["10", "20"])
    detail["invoice_lines"].append({"line": 3, "description": "Freight", "kind": "charge", "po_line_id": None,
                                    "amount": "15.00"})
    rows = three_way(detail, InvoiceData()).rows
    assert [(r.ref, r.kind) for r in rows] == [("1", "po"), ("2", "po"), ("3", "charge")]
    assert rows[2].invoice_amount == Decimal("15.00")


def test_whatever_shape_arrives_the_view_does_not_break() -> None:
    for junk in (None, {}, {"lines": "nope"}, {"lines": [None, 3, {"ordered": "many"}]},
                 {"vendor": [], "orders": "x", "routing": {"reasons": None}}):
        view = three_way(junk, InvoiceData())  # type: ignore[arg-type]
        assert all(r.ordered_qty is None for r in view.rows)
