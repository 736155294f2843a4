"""A small ERP world built in code for matching tests: vendors, products, orders, receipts, bills.

Ids are assigned in order; helpers take readable arguments and return the records, so a test reads
as the scenario it checks ("ordered 100, received 80, billed 90").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from matching.engine import DocumentContext, MatchOutcome, match_invoice
from matching.index import MatchIndex
from matching.memory_view import MemoryMirror
from matching.mirror_view import (
    BillRecord,
    CompanyRecord,
    OrderLineRecord,
    OrderRecord,
    PriorDocument,
    ProductRecord,
    ReceiptLineRecord,
    SiteRecord,
    SupplierInfoRecord,
    TaxRecord,
    UomRecord,
    VendorRecord,
)
from matching.policy import Policy, default_policy
from models.invoice import FieldValue, InvoiceData, LineItem

D = Decimal
VAT19 = Decimal(19)
UNITS = UomRecord(1, "Units", "Unit", D(1), "reference")
BOX100 = UomRecord(2, "Box of 100", "Unit", D("0.01"), "bigger")
CASE12 = UomRecord(3, "Case of 12", "Unit", D(1) / D(12), "bigger")
KG = UomRecord(5, "kg", "Weight", D(1), "reference")
HOURS = UomRecord(6, "Hours", "Working Time", D(1), "reference")
UOMS = (UNITS, BOX100, CASE12, KG, HOURS)
TAX19 = TaxRecord(1, "19%", D(19))
TAX7 = TaxRecord(2, "7%", D(7))
BUYER = CompanyRecord(1, "Klinikgruppe Nord GmbH", vat="DE811907980", currency="EUR")
SITE = SiteRecord(1, "Klinik Hamburg", "HH01", company_id=1)

# Valid checksums, so the tax id and IBAN checks treat them as real.
VATS = ["DE136695976", "DE129273398", "FR40303265045", "NL004495445B01", "IT00743110157", "ATU13585627",
        "DE811569869", "DE115235681", "BE0403170701", "ESA28015865"]
IBANS = ["DE89370400440532013000", "DE02120300000000202051", "GB29NWBK60161331926819",
         "FR1420041010050500013M02606", "NL91ABNA0417164300", "DE75512108001245126199",
         "IT60X0542811101000000123456", "BE68539007547034", "ES9121000418450200051332", "AT611904300234573201"]


@dataclass
class World:
    vendors: list[VendorRecord] = field(default_factory=list)
    products: list[ProductRecord] = field(default_factory=list)
    supplier: list[SupplierInfoRecord] = field(default_factory=list)
    orders: list[OrderRecord] = field(default_factory=list)
    lines: list[OrderLineRecord] = field(default_factory=list)
    receipts: list[ReceiptLineRecord] = field(default_factory=list)
    bills: list[BillRecord] = field(default_factory=list)
    documents: list[PriorDocument] = field(default_factory=list)
    policy: Policy = field(default_factory=default_policy)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def _id(self) -> int:
        return int(next(self._ids))

    def vendor(self, name: str, *, vat: str | None = None, iban: str | None = None, domain: str | None = None,
               **kw: Any) -> VendorRecord:
        n = len(self.vendors)
        v = VendorRecord(self._id(), name, vat=vat if vat is not None else VATS[n % len(VATS)],
                         bank_accounts=(iban if iban is not None else IBANS[n % len(IBANS)],) if iban != "" else (),
                         domains=(domain,) if domain else (), company_id=1, **kw)
        self.vendors.append(v)
        return v

    def product(self, name: str, *, code: str | None = None, uom: UomRecord = UNITS, method: str = "receive",
                type: str = "consu", category: str | None = "Medical consumables",
                vendor: VendorRecord | None = None, vendor_code: str | None = None) -> ProductRecord:
        p = ProductRecord(self._id(), name, default_code=code, uom_id=uom.id, purchase_method=method, type=type,
                          category=category)
        self.products.append(p)
        if vendor is not None and vendor_code:
            self.supplier.append(SupplierInfoRecord(vendor.id, p.id, vendor_code, name))
        return p

    def order(self, vendor: VendorRecord, *lines: tuple[Any, ...], name: str | None = None, currency: str = "EUR",
              state: str = "purchase", day: int = 1) -> OrderRecord:
        """``lines``: (product, ordered, price, received=0, invoiced=0, uom=product's, tax=19%)."""
        oid = self._id()
        o = OrderRecord(oid, name or f"P{oid:05d}", vendor.id, state, currency, company_id=1, site_id=1,
                        date_order=datetime(2025, 3, day, tzinfo=UTC))
        self.orders.append(o)
        for seq, spec in enumerate(lines, start=1):
            product, ordered, price, *rest = spec
            received = D(str(rest[0])) if len(rest) > 0 else D(0)
            invoiced = D(str(rest[1])) if len(rest) > 1 else D(0)
            uom = rest[2] if len(rest) > 2 else next(u for u in UOMS if u.id == product.uom_id)
            tax = rest[3] if len(rest) > 3 else TAX19
            lid = self._id()
            self.lines.append(OrderLineRecord(lid, oid, product.name, D(str(ordered)), D(str(price)), product.id,
                                              received, invoiced, (tax.id,) if tax else (), uom.id, seq * 10))
            if received:
                self.receipts.append(ReceiptLineRecord(self._id(), 900 + oid, f"WH/IN/{oid:05d}", lid, received,
                                                       uom.id))
        return o

    def line_of(self, order: OrderRecord, position: int = 1) -> OrderLineRecord:
        return [ln for ln in self.lines if ln.order_id == order.id][position - 1]

    def receive(self, order: OrderRecord, position: int, qty: Any) -> None:
        line = self.line_of(order, position)
        self.lines[self.lines.index(line)] = replace(line, qty_received=line.qty_received + D(str(qty)))

    def mirror(self) -> MemoryMirror:
        return MemoryMirror.build(vendors=self.vendors, orders=self.orders, lines=self.lines, receipts=self.receipts,
                                  products=self.products, supplier_info=self.supplier, uoms=UOMS,
                                  taxes=(TAX19, TAX7), bills=self.bills, documents=self.documents,
                                  companies=(BUYER,), sites=(SITE,))

    def match(self, inv: InvoiceData, ctx: DocumentContext | None = None,
              mirror: MemoryMirror | None = None) -> MatchOutcome:
        m = mirror or self.mirror()
        return match_invoice(inv, m, MatchIndex.build(m), self.policy, ctx)


def fv(value: Any, confidence: float = 0.99) -> FieldValue:
    return FieldValue(None if value is None else str(value), confidence)


def invoice(vendor: VendorRecord | None = None, *lines: tuple[Any, ...], number: str = "INV-1001",
            po: str | None = None, pos: tuple[str, ...] = (), day: date = date(2025, 3, 20),
            currency: str = "EUR", tax_rate: Decimal | None = VAT19, total: Any = None, net: Any = None,
            tax: Any = None, name: str | None = None, vat: str | bool | None = True, iban: str | bool | None = True,
            doc_type: str | None = None, credit_ref: str | None = None, confidence: float = 0.99,
            drop: tuple[str, ...] = ()) -> InvoiceData:
    """``lines``: (description, quantity, unit price, code=None, unit=None, amount=qty x price)."""
    items = []
    computed_net = D(0)
    for spec in lines:
        desc, qty, price, *rest = spec
        code = rest[0] if len(rest) > 0 else None
        unit = rest[1] if len(rest) > 1 else None
        amount = D(str(rest[2])) if len(rest) > 2 else (D(str(qty)) * D(str(price))).quantize(D("0.01"))
        computed_net += amount
        fields = {"description": fv(desc), "quantity": fv(qty), "unit_price": fv(price), "amount": fv(amount)}
        if code:
            fields["product_code"] = fv(code)
        if unit:
            fields["unit"] = fv(unit)
        if tax_rate is not None:
            fields["tax_rate"] = fv(tax_rate)
        items.append(LineItem(fields=fields, confidence=0.99))
    net_v = D(str(net)) if net is not None else computed_net
    tax_v = D(str(tax)) if tax is not None else (net_v * (tax_rate or 0) / 100).quantize(D("0.01"))
    total_v = D(str(total)) if total is not None else net_v + tax_v
    header: dict[str, Any] = {
        "vendor_name": name if name is not None else (vendor.name if vendor else None),
        "vendor_vat": (vendor.vat if vendor else None) if vat is True else (vat or None),
        "vendor_iban": (vendor.bank_accounts[0] if vendor and vendor.bank_accounts else None) if iban is True
        else (iban or None),
        "invoice_number": number, "invoice_date": day.isoformat(), "currency": currency,
        "net_amount": net_v, "tax_amount": tax_v, "total_amount": total_v, "po_number": po,
        "document_type": doc_type, "credit_note_ref": credit_ref,
    }
    fields = {k: fv(v, confidence) for k, v in header.items() if v is not None and k not in drop}
    return InvoiceData(fields=fields, lines=items, po_numbers=list(pos) or ([po] if po else []))
