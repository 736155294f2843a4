"""What matching reads: plain records of the ERP mirror and of earlier documents, behind one small interface.

Matching never touches the database or Odoo itself. ``MirrorView`` is the whole of what it may ask;
``matching.sql_view`` answers it from the mirror tables, ``matching.memory_view`` from lists in memory
(property tests, benchmarks, a generated world). Records are frozen so a check cannot alter what it read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CompanyRecord:
    id: int
    name: str
    vat: str | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class SiteRecord:
    id: int
    name: str
    code: str
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class VendorRecord:
    id: int
    name: str
    vat: str | None = None
    street: str | None = None
    city: str | None = None
    zip: str | None = None
    country: str | None = None
    email: str | None = None
    company_id: int | None = None
    category: str | None = None
    invoice_limit: Decimal | None = None
    active: bool = True
    # Sanitised IBANs / account numbers of its active bank accounts, and the e-mail domains it sends from.
    bank_accounts: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return " ".join(p for p in (self.street, self.zip, self.city, self.country) if p)


@dataclass(frozen=True, slots=True)
class OrderRecord:
    id: int
    name: str
    vendor_id: int
    state: str
    currency: str
    partner_ref: str | None = None
    company_id: int | None = None
    site_id: int | None = None
    date_order: datetime | None = None
    amount_total: Decimal | None = None
    invoice_status: str | None = None
    receipt_status: str | None = None


@dataclass(frozen=True, slots=True)
class OrderLineRecord:
    id: int
    order_id: int
    name: str
    product_qty: Decimal
    price_unit: Decimal
    product_id: int | None = None
    qty_received: Decimal = ZERO
    qty_invoiced: Decimal = ZERO
    tax_ids: tuple[int, ...] = ()
    uom_id: int | None = None
    sequence: int = 10
    display_type: str | None = None
    synced_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProductRecord:
    id: int
    name: str
    default_code: str | None = None
    barcode: str | None = None
    uom_id: int | None = None
    purchase_method: str = "receive"  # receive | purchase (Odoo: bill on received or on ordered quantities)
    type: str = "consu"  # consu | service | combo
    category: str | None = None

    @property
    def is_service(self) -> bool:
        return self.type == "service"


@dataclass(frozen=True, slots=True)
class SupplierInfoRecord:
    vendor_id: int
    product_id: int
    product_code: str | None = None
    product_name: str | None = None
    price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class UomRecord:
    id: int
    name: str
    category: str
    # Odoo's factor: how many of this unit make one reference unit (a box of 100 is 0.01).
    factor: Decimal
    uom_type: str = "reference"


@dataclass(frozen=True, slots=True)
class TaxRecord:
    id: int
    name: str
    amount: Decimal
    amount_type: str = "percent"


@dataclass(frozen=True, slots=True)
class ReceiptLineRecord:
    id: int
    receipt_id: int
    receipt_name: str
    po_line_id: int
    quantity: Decimal
    uom_id: int | None = None
    state: str = "done"
    date_done: datetime | None = None


@dataclass(frozen=True, slots=True)
class BillRecord:
    """A vendor bill already in Odoo (``account.move``)."""

    id: int
    move_type: str  # in_invoice | in_refund
    state: str
    vendor_id: int | None
    ref: str | None = None
    name: str | None = None
    invoice_date: date | None = None
    amount_total: Decimal | None = None
    currency: str | None = None
    invoice_origin: str | None = None
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class PriorDocument:
    """One of our own earlier documents, as duplicate checks and quantity bookkeeping need it."""

    document_id: int
    state: str
    vendor_id: int | None
    invoice_number: str | None
    invoice_date: date | None
    total: Decimal | None
    currency: str | None
    doc_type: str | None
    received_at: datetime | None = None
    iban: str | None = None
    posted_at: datetime | None = None
    # (PO line id, quantity in the PO line's unit) that its latest match billed.
    billed: tuple[tuple[int, Decimal], ...] = ()
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class MirrorSnapshot:
    """Everything the in-memory index needs, read in one pass (vendors with their accounts and domains,
    PO names, the buyer's own companies)."""

    revision: str
    vendors: Sequence[VendorRecord]
    orders: Sequence[tuple[int, str, int]] = ()  # (id, name, vendor id)
    companies: Sequence[CompanyRecord] = ()
    sites: Sequence[SiteRecord] = ()


class MirrorView(Protocol):
    """The read interface matching uses. Every method is a query by id or key; none writes."""

    def revision(self) -> str:
        """A token that changes whenever the mirror changes (drives rebuilding the in-memory index)."""
        ...

    def snapshot(self) -> MirrorSnapshot: ...

    def vendor(self, vendor_id: int) -> VendorRecord | None: ...

    def orders(self, order_ids: Collection[int]) -> list[OrderRecord]: ...

    def open_orders(self, vendor_id: int) -> list[OrderRecord]:
        """The vendor's confirmed orders that still have something to bill."""
        ...

    def order_lines(self, order_ids: Collection[int]) -> list[OrderLineRecord]: ...

    def receipt_lines(self, po_line_ids: Collection[int]) -> list[ReceiptLineRecord]: ...

    def products(self, product_ids: Collection[int]) -> dict[int, ProductRecord]: ...

    def supplier_info(self, vendor_id: int, product_ids: Collection[int]) -> list[SupplierInfoRecord]: ...

    def uoms(self) -> Mapping[int, UomRecord]: ...

    def taxes(self, tax_ids: Collection[int]) -> dict[int, TaxRecord]: ...

    def bills(self, vendor_ids: Collection[int]) -> list[BillRecord]: ...

    def prior_documents(self, vendor_ids: Collection[int], exclude_document_id: int | None) -> list[PriorDocument]:
        """Our other documents from these vendors (any state), for duplicates, history and pending billing."""
        ...

