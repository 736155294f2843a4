"""The invoice a vendor sends, as a value: what is printed on it, and the truth file it yields.

One ``InvoiceDoc`` is rendered in every format (PDF layouts, scans, Factur-X, UBL, e-mail); the
truth file is derived from it, never from a rendering, and a test checks each rendering against it.
Numbers that are only known once the whole world exists (PO names, the vendor's invoice number) are
held as references and read when the document is finalised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from synth.amounts import TaxGroup, tax_groups, totals
from synth.identity import BankAccount
from synth.world.numbering import Slot
from synth.world.profiles import VendorProfile
from synth.world.records import Company, PurchaseOrder
from synth.world.store import Site

# OCR-like confusions a vendor's clerk (or a scan) introduces into a PO number: the letter O for the
# digit 0 and back, I for 1, S for 5, B for 8.
_CONFUSIONS = {"0": "O", "O": "0", "1": "I", "5": "S", "8": "B"}


@dataclass
class PoMention:
    """A PO number as the vendor prints it: the real one, a garbled one, or one that never existed."""

    order: PurchaseOrder | None = None
    literal: str | None = None
    style: str = "exact"  # exact | ocr | padded | prefixed

    def printed(self) -> str:
        if self.literal is not None:
            return self.literal
        assert self.order is not None and self.order.name, "PO names are assigned before documents are final"
        name = self.order.name
        digits = name[1:]
        if self.style == "ocr":
            # P00123 → PO0123 / P0O123: one confusion inside the zero padding or the digits.
            for i, ch in enumerate(digits):
                if ch in _CONFUSIONS:
                    return "P" + digits[:i] + _CONFUSIONS[ch] + digits[i + 1:]
        if self.style == "padded":
            return f"PO-{int(digits):06d}"
        if self.style == "prefixed":
            return f"PO {name}"
        return name


@dataclass
class DocLine:
    description: str
    quantity: Decimal
    unit: str  # an Odoo unit name ("Box of 100"); the renderer prints it in the vendor's language
    unit_price: Decimal
    amount: Decimal
    tax_rate: Decimal
    product_code: str | None = None
    po_line_id: int | None = None  # the PO line this invoice line truly bills, if any
    kind: str = "item"  # item | freight


@dataclass
class InvoiceDoc:
    invoice_id: str
    vendor: VendorProfile
    buyer: Company
    ship_to: Site | None
    currency: str
    lines: list[DocLine]
    issue_date: date | None
    number: Slot | str | None
    due_date: date | None
    document_type: str = "invoice"  # invoice | credit_note
    printed_name: str | None = None  # None: the vendor's registered name
    show_vat: bool = True
    account: BankAccount | None = None  # the bank account printed for payment
    po_mentions: list[PoMention] = field(default_factory=list)
    delivery_note: str | None = None
    credit_note_ref: Slot | str | None = None
    notes: list[str] = field(default_factory=list)
    # Values the page shows differently from what arithmetic gives (an ARITHMETIC_ERROR scenario):
    printed_totals: tuple[Decimal, Decimal, Decimal] | None = None
    printed_groups: list[TaxGroup] | None = None
    # The one field whose embedded e-invoice value differs from the page (an EINVOICE_PDF_MISMATCH
    # scenario): invoice_number | invoice_date | vendor_iban.
    einvoice_mismatch: str | None = None

    @property
    def vendor_name(self) -> str:
        return self.printed_name or self.vendor.name

    @property
    def invoice_number(self) -> str | None:
        return None if self.number is None else str(self.number)

    @property
    def po_numbers(self) -> list[str]:
        return [m.printed() for m in self.po_mentions]

    @property
    def credit_note_of(self) -> str | None:
        return None if self.credit_note_ref is None else str(self.credit_note_ref)

    @property
    def groups(self) -> list[TaxGroup]:
        if self.printed_groups is not None:
            return self.printed_groups
        return tax_groups((line.amount, line.tax_rate) for line in self.lines)

    @property
    def amounts(self) -> tuple[Decimal, Decimal, Decimal]:
        """Net, tax and total as printed."""
        return self.printed_totals or totals(self.groups)

    @property
    def printed_vat(self) -> str | None:
        return self.vendor.vat if self.show_vat else None

    def einvoice_differences(self) -> dict[str, str]:
        """What the embedded XML says where it disagrees with the page, by truth key."""
        if self.einvoice_mismatch == "invoice_number" and self.invoice_number:
            number = self.invoice_number
            digits = [i for i, c in enumerate(number) if c.isdigit()]
            last = digits[-1]
            return {"invoice_number": number[:last] + str((int(number[last]) + 1) % 10) + number[last + 1:]}
        if self.einvoice_mismatch == "invoice_date" and self.issue_date:
            return {"invoice_date": (self.issue_date + timedelta(days=2)).isoformat()}
        if self.einvoice_mismatch == "vendor_iban" and len(self.vendor.accounts) > 1:
            return {"vendor_iban": self.vendor.accounts[1].acc_number}
        return {}

    def truth(self) -> dict[str, Any]:
        """The corpus truth schema (``/work/shared/corpus/README.md``): what the page shows."""
        net, tax, total = self.amounts
        return {
            "vendor_name": self.vendor_name,
            "vendor_vat": self.printed_vat,
            "vendor_iban": self.account.acc_number if self.account and self.account.is_iban else None,
            "buyer_name": self.buyer.name,
            "invoice_number": self.invoice_number,
            "invoice_date": self.issue_date.isoformat() if self.issue_date else None,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "po_number": self.po_numbers[0] if self.po_numbers else None,
            "currency": self.currency,
            "net_amount": _money(net),
            "tax_amount": _money(tax),
            "total_amount": _money(total),
            "lines": [{"description": line.description, "quantity": _num(line.quantity),
                       "unit_price": _num(line.unit_price), "amount": _money(line.amount)} for line in self.lines],
        }


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _money(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")
