"""The ERP mirror: a local copy of what matching needs from Odoo.

Primary keys are Odoo's own ids (per model), so a sync can upsert in any order; references are plain
integers without foreign-key constraints for the same reason (a PO line may arrive before its product).
``write_date`` is Odoo's, and drives incremental sync; ``synced_at`` is ours, and drives the
read-through refresh before matching.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, Money, UTCDateTime, utcnow


class MirrorRow:
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    write_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Company(MirrorRow, Base):
    __tablename__ = "erp_companies"
    name: Mapped[str] = mapped_column(String(255))
    vat: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str | None] = mapped_column(String(3))
    address: Mapped[str | None] = mapped_column(Text)


class Site(MirrorRow, Base):
    """A clinic or store: Odoo's ``stock.warehouse``; POs reach it through their picking type."""

    __tablename__ = "erp_sites"
    name: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(20))
    company_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Vendor(MirrorRow, Base):
    __tablename__ = "erp_vendors"
    name: Mapped[str] = mapped_column(String(255), index=True)
    vat: Mapped[str | None] = mapped_column(String(40), index=True)
    vat_normalised: Mapped[str | None] = mapped_column(String(40), index=True)
    ref: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(120))
    zip: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    company_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(60))
    invoice_limit: Mapped[Decimal | None] = mapped_column(Money)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VendorBankAccount(MirrorRow, Base):
    __tablename__ = "erp_vendor_bank_accounts"
    vendor_id: Mapped[int] = mapped_column(Integer, index=True)
    acc_number: Mapped[str] = mapped_column(String(60))
    sanitized: Mapped[str] = mapped_column(String(60), index=True)
    bic: Mapped[str | None] = mapped_column(String(11))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VendorEmailDomain(Base):
    """E-mail domains a vendor sends from (from its contacts' addresses); derived, keyed by both."""

    __tablename__ = "erp_vendor_email_domains"
    vendor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class Tax(MirrorRow, Base):
    __tablename__ = "erp_taxes"
    name: Mapped[str] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Money)  # percent
    amount_type: Mapped[str] = mapped_column(String(20), default="percent")
    company_id: Mapped[int | None] = mapped_column(Integer)


class Uom(MirrorRow, Base):
    __tablename__ = "erp_uoms"
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(60))
    # Odoo's factor: how many of this unit make one reference unit (reference 1.0; a box of 100 is 0.01).
    factor: Mapped[Decimal] = mapped_column(Money)
    uom_type: Mapped[str] = mapped_column(String(20), default="reference")


class Product(MirrorRow, Base):
    __tablename__ = "erp_products"
    name: Mapped[str] = mapped_column(String(255))
    default_code: Mapped[str | None] = mapped_column(String(60), index=True)
    barcode: Mapped[str | None] = mapped_column(String(60))
    uom_id: Mapped[int | None] = mapped_column(Integer)
    purchase_method: Mapped[str] = mapped_column(String(20), default="receive")  # receive | purchase
    type: Mapped[str] = mapped_column(String(20), default="consu")  # consu | service | combo
    category: Mapped[str | None] = mapped_column(String(120))


class SupplierInfo(MirrorRow, Base):
    """The vendor's own product code and price (Odoo's ``product.supplierinfo``)."""

    __tablename__ = "erp_supplier_info"
    vendor_id: Mapped[int] = mapped_column(Integer, index=True)
    product_id: Mapped[int] = mapped_column(Integer, index=True)
    product_code: Mapped[str | None] = mapped_column(String(60), index=True)
    product_name: Mapped[str | None] = mapped_column(String(255))
    price: Mapped[Decimal | None] = mapped_column(Money)


class PurchaseOrder(MirrorRow, Base):
    __tablename__ = "erp_purchase_orders"
    name: Mapped[str] = mapped_column(String(60), index=True)
    vendor_id: Mapped[int] = mapped_column(Integer, index=True)
    partner_ref: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    company_id: Mapped[int | None] = mapped_column(Integer)
    site_id: Mapped[int | None] = mapped_column(Integer)
    date_order: Mapped[datetime | None] = mapped_column(UTCDateTime)
    amount_untaxed: Mapped[Decimal | None] = mapped_column(Money)
    amount_tax: Mapped[Decimal | None] = mapped_column(Money)
    amount_total: Mapped[Decimal | None] = mapped_column(Money)
    invoice_status: Mapped[str | None] = mapped_column(String(20))
    receipt_status: Mapped[str | None] = mapped_column(String(20))


class PurchaseOrderLine(MirrorRow, Base):
    __tablename__ = "erp_purchase_order_lines"
    order_id: Mapped[int] = mapped_column(Integer, index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=10)
    product_id: Mapped[int | None] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(Text)
    product_qty: Mapped[Decimal] = mapped_column(Money)
    qty_received: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    qty_invoiced: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    price_unit: Mapped[Decimal] = mapped_column(Money)
    price_subtotal: Mapped[Decimal | None] = mapped_column(Money)
    tax_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    uom_id: Mapped[int | None] = mapped_column(Integer)
    display_type: Mapped[str | None] = mapped_column(String(20))


class Receipt(MirrorRow, Base):
    """An incoming ``stock.picking``."""

    __tablename__ = "erp_receipts"
    name: Mapped[str] = mapped_column(String(60))
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    origin: Mapped[str | None] = mapped_column(String(120))
    vendor_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    date_done: Mapped[datetime | None] = mapped_column(UTCDateTime)
    backorder_id: Mapped[int | None] = mapped_column(Integer)


class ReceiptLine(MirrorRow, Base):
    """A ``stock.move`` of a receipt; ``quantity`` is what was done, in the move's unit."""

    __tablename__ = "erp_receipt_lines"
    receipt_id: Mapped[int] = mapped_column(Integer, index=True)
    po_line_id: Mapped[int | None] = mapped_column(Integer, index=True)
    product_id: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[Decimal] = mapped_column(Money)
    uom_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))


class VendorBill(MirrorRow, Base):
    """Bills already in Odoo (``account.move`` in_invoice / in_refund), for duplicate detection."""

    __tablename__ = "erp_vendor_bills"
    name: Mapped[str | None] = mapped_column(String(80))
    move_type: Mapped[str] = mapped_column(String(20))
    vendor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    ref: Mapped[str | None] = mapped_column(String(120), index=True)
    ref_normalised: Mapped[str | None] = mapped_column(String(120), index=True)
    invoice_date: Mapped[str | None] = mapped_column(String(10))
    amount_total: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20))
    company_id: Mapped[int | None] = mapped_column(Integer)
    invoice_origin: Mapped[str | None] = mapped_column(String(200))


class SyncWatermark(Base):
    __tablename__ = "erp_sync_watermarks"
    model: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_write_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_full_sync: Mapped[datetime | None] = mapped_column(UTCDateTime)
    records: Mapped[int] = mapped_column(Integer, default=0)
