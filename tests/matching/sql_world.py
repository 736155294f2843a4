"""Writing a test ``World`` into the mirror tables, and documents into the database, as a sync and the
earlier stages would: the stage tests then run against real SQL."""

from __future__ import annotations

import hashlib
import itertools

from sqlalchemy.orm import Session

from models.documents import Document
from models.extractions import Extraction
from models.identifiers import normalise_vat
from models.invoice import InvoiceData
from models.mirror import (
    Company,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Site,
    SupplierInfo,
    Tax,
    Uom,
    Vendor,
    VendorBankAccount,
    VendorBill,
    VendorEmailDomain,
)
from models.states import DocumentState
from tests.matching.world import BUYER, SITE, TAX7, TAX19, UOMS, World

_docs = itertools.count(1)


def persist_world(world: World, s: Session) -> None:
    s.add(Company(id=BUYER.id, name=BUYER.name, vat=BUYER.vat, currency=BUYER.currency))
    s.add(Site(id=SITE.id, name=SITE.name, code=SITE.code, company_id=SITE.company_id))
    for u in UOMS:
        s.add(Uom(id=u.id, name=u.name, category=u.category, factor=u.factor, uom_type=u.uom_type))
    for t in (TAX19, TAX7):
        s.add(Tax(id=t.id, name=t.name, amount=t.amount, amount_type=t.amount_type))
    account_ids = itertools.count(1)
    for v in world.vendors:
        s.add(Vendor(id=v.id, name=v.name, vat=v.vat, vat_normalised=normalise_vat(v.vat), company_id=v.company_id,
                     invoice_limit=v.invoice_limit, active=v.active, category=v.category))
        for acc in v.bank_accounts:
            s.add(VendorBankAccount(id=next(account_ids), vendor_id=v.id, acc_number=acc, sanitized=acc))
        for d in v.domains:
            s.add(VendorEmailDomain(vendor_id=v.id, domain=d))
    for p in world.products:
        s.add(Product(id=p.id, name=p.name, default_code=p.default_code, uom_id=p.uom_id,
                      purchase_method=p.purchase_method, type=p.type, category=p.category))
    for i, si in enumerate(world.supplier, start=1):
        s.add(SupplierInfo(id=i, vendor_id=si.vendor_id, product_id=si.product_id, product_code=si.product_code,
                           product_name=si.product_name))
    for o in world.orders:
        s.add(PurchaseOrder(id=o.id, name=o.name, vendor_id=o.vendor_id, state=o.state, currency=o.currency,
                            company_id=o.company_id, site_id=o.site_id, date_order=o.date_order))
    for ln in world.lines:
        s.add(PurchaseOrderLine(id=ln.id, order_id=ln.order_id, sequence=ln.sequence, product_id=ln.product_id,
                                name=ln.name, product_qty=ln.product_qty, qty_received=ln.qty_received,
                                qty_invoiced=ln.qty_invoiced, price_unit=ln.price_unit, tax_ids=list(ln.tax_ids),
                                uom_id=ln.uom_id))
    receipts = {r.receipt_id: r for r in world.receipts}
    for rid, r in receipts.items():
        order = next(ln.order_id for ln in world.lines if ln.id == r.po_line_id)
        s.add(Receipt(id=rid, name=r.receipt_name, order_id=order, state="done"))
    for r in world.receipts:
        s.add(ReceiptLine(id=r.id, receipt_id=r.receipt_id, po_line_id=r.po_line_id, quantity=r.quantity,
                          uom_id=r.uom_id, state=r.state))
    for b in world.bills:
        s.add(VendorBill(id=b.id, name=b.name, move_type=b.move_type, vendor_id=b.vendor_id, ref=b.ref,
                         invoice_date=b.invoice_date.isoformat() if b.invoice_date else None,
                         amount_total=b.amount_total, currency=b.currency, state=b.state))


def add_extracted(s: Session, inv: InvoiceData, *, envelope: dict[str, str] | None = None) -> int:
    """A document as the extract stage leaves it: EXTRACTED, with machine extraction version 1."""
    n = next(_docs)
    doc = Document(sha256=hashlib.sha256(f"doc-{n}-{id(inv)}".encode()).hexdigest(), size=100,
                   media_type="application/pdf", source="upload", envelope=envelope or {},
                   state=DocumentState.EXTRACTED.value, doc_type=inv.document_type,
                   invoice_number=inv.get("invoice_number"), invoice_date=inv.get("invoice_date"),
                   currency=inv.get("currency"), total_amount=inv.decimal("total_amount"),
                   vendor_name=inv.get("vendor_name"))
    s.add(doc)
    s.flush()
    s.add(Extraction(document_id=doc.id, version=1, kind="machine", engine="test", data=inv.to_json()))
    s.flush()
    return doc.id
