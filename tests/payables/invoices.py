"""A plain one-page invoice PDF with a text layer, for pipeline tests."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def invoice_pdf(number: str = "INV-2025-0042", total: str = "1,190.00") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    lines = [
        "MedSupply GmbH", "Hauptstrasse 1, 10115 Berlin", "VAT: DE136695976", "",
        "INVOICE", f"Invoice number: {number}", "Invoice date: 2025-03-14", "Due date: 2025-04-13",
        "PO number: P00042", "Bill to: Northwind Clinics Ltd", "",
        "Description                 Qty    Unit price    Amount",
        "Nitrile gloves box of 100    10      100.00      1,000.00", "",
        "Net amount: 1,000.00 EUR", "VAT 19%: 190.00 EUR", f"Total: {total} EUR",
        "IBAN: DE89 3704 0044 0532 0130 00",
    ]
    y = 800
    for line in lines:
        c.drawString(60, y, line)
        y -= 18
    c.save()
    return buf.getvalue()
