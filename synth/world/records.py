"""The world's ERP records, one dataclass per Odoo model, with Odoo 18's field names.

Only fields the mirror or a realistic Odoo database would hold are here; anything the generator needs
for itself (a vendor's invoice layout, its numbering scheme) lives in ``profiles`` instead, so the
snapshot is these records serialised as they are. Many2one fields are integer ids, many2many lists
of ids, money ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass
class Currency:
    id: int
    name: str
    symbol: str


@dataclass
class Company:
    id: int
    name: str
    vat: str
    street: str
    city: str
    zip: str
    country_code: str
    currency_id: int
    email: str


@dataclass
class Warehouse:
    id: int
    name: str
    code: str
    company_id: int


@dataclass
class PickingType:
    id: int
    name: str
    code: str
    warehouse_id: int
    company_id: int


@dataclass
class Partner:
    id: int
    name: str
    vat: str | None
    email: str | None
    phone: str | None
    website: str | None
    street: str
    city: str
    zip: str
    country_code: str
    is_company: bool
    supplier_rank: int
    company_id: int | None
    ref: str | None
    x_category: str
    x_invoice_limit: Decimal | None
    write_date: datetime


@dataclass
class PartnerBank:
    id: int
    partner_id: int
    acc_number: str
    bank_bic: str
    bank_name: str
    allow_out_payment: bool


@dataclass
class UomCategory:
    id: int
    name: str


@dataclass
class Uom:
    id: int
    name: str
    category_id: int
    factor: Decimal
    factor_inv: Decimal
    uom_type: str  # reference | bigger | smaller
    rounding: Decimal


@dataclass
class ProductCategory:
    id: int
    name: str


@dataclass
class Product:
    id: int
    name: str
    default_code: str
    barcode: str | None
    uom_id: int
    uom_po_id: int
    categ_id: int
    type: str  # consu | service
    is_storable: bool
    purchase_method: str  # receive | purchase


@dataclass
class SupplierInfo:
    id: int
    partner_id: int
    product_id: int
    product_code: str
    product_name: str
    price: Decimal
    currency_id: int
    min_qty: Decimal


@dataclass
class Tax:
    id: int
    name: str
    amount: Decimal
    amount_type: str
    type_tax_use: str
    company_id: int


@dataclass
class PurchaseOrder:
    id: int
    name: str
    partner_id: int
    partner_ref: str | None
    state: str  # purchase | done | cancel
    currency_id: int
    company_id: int
    picking_type_id: int
    date_order: datetime
    date_approve: datetime
    amount_untaxed: Decimal = Decimal("0.00")
    amount_tax: Decimal = Decimal("0.00")
    amount_total: Decimal = Decimal("0.00")
    invoice_status: str = "no"
    receipt_status: str | None = None
    write_date: datetime | None = None


@dataclass
class PurchaseOrderLine:
    id: int
    order_id: int
    sequence: int
    product_id: int
    name: str
    product_qty: Decimal
    product_uom: int
    price_unit: Decimal
    taxes_id: list[int]
    qty_received_method: str  # stock_moves | manual
    qty_received: Decimal = Decimal("0")
    qty_invoiced: Decimal = Decimal("0")
    price_subtotal: Decimal = Decimal("0.00")
    display_type: str | None = None
    write_date: datetime | None = None


@dataclass
class Picking:
    id: int
    name: str
    partner_id: int
    picking_type_id: int
    origin: str
    purchase_id: int
    state: str  # done | assigned | cancel
    scheduled_date: datetime
    date_done: datetime | None
    backorder_id: int | None
    company_id: int
    write_date: datetime | None = None


@dataclass
class Move:
    id: int
    picking_id: int
    product_id: int
    purchase_line_id: int
    product_uom_qty: Decimal
    quantity: Decimal
    product_uom: int
    state: str
    picked: bool


@dataclass
class Bill:
    id: int
    name: str
    move_type: str  # in_invoice | in_refund
    partner_id: int
    ref: str
    invoice_date: date
    invoice_date_due: date
    amount_untaxed: Decimal
    amount_tax: Decimal
    amount_total: Decimal
    currency_id: int
    state: str  # posted | draft | cancel
    company_id: int
    invoice_origin: str | None
    payment_reference: str | None = None
    write_date: datetime | None = None
    # Not an Odoo field: the PO lines and quantities this bill covers (Odoo keeps them on the bill's
    # lines, which the snapshot does not carry); used to keep ``qty_invoiced`` consistent.
    billed: list[tuple[int, Decimal]] = field(default_factory=list)
