"""A vendor bill to post in tests: the received part of an order of ``make_snapshot``, with its PDF."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from erp.posting import Attachment, BillDraft, BillLine


def invoice_pdf(ref: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    pdf.drawString(72, 720, f"Invoice {ref}")
    pdf.save()
    return buf.getvalue()


def received_bill(snapshot: dict[str, Any], order_id: int = 603, ref: str = "INV-7781",
                  move_type: str = "in_invoice") -> BillDraft:
    models = snapshot["models"]
    order = next(o for o in models["purchase.order"] if o["id"] == order_id)
    lines = [ln for ln in models["purchase.order.line"] if ln["order_id"] == order_id
             and Decimal(ln["qty_received"]) > 0]
    return BillDraft(
        move_type=move_type, partner_id=order["partner_id"], ref=ref, invoice_date=date(2025, 3, 20),
        company_id=order["company_id"], currency="EUR", invoice_date_due=date(2025, 4, 19),
        invoice_origin=order["name"],
        lines=tuple(BillLine(name=ln["name"], quantity=Decimal(ln["qty_received"]),
                             price_unit=Decimal(ln["price_unit"]), purchase_line_id=ln["id"],
                             product_id=ln["product_id"], uom_id=ln["product_uom"], tax_ids=tuple(ln["taxes_id"]))
                    for ln in lines))


def attachment(ref: str = "INV-7781") -> Attachment:
    return Attachment(f"{ref}.pdf", "application/pdf", invoice_pdf(ref))
