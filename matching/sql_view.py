"""The mirror read from the database (``models.mirror``) and our own documents, for matching.

One instance per session; every method is a query by id or key, using the indexes the mirror tables
have. ``revision`` is a single aggregate query that changes whenever a sync touches vendors, their bank
accounts or domains, orders, companies or sites: the in-memory index is rebuilt then.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.mirror_view import (
    BillRecord,
    CompanyRecord,
    MirrorSnapshot,
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
from matching.order_lines import PENDING_STATES
from models.documents import Document
from models.matching import MatchResult
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
from models.postings import Posting

OPEN_STATES = ("purchase", "done")
ZERO = Decimal(0)


class SqlMirror:
    def __init__(self, session: Session) -> None:
        self.s = session
        self._uoms: dict[int, UomRecord] | None = None

    def revision(self) -> str:
        parts = []
        for table in (Vendor, VendorBankAccount, PurchaseOrder, Company, Site):
            parts.append(select(func.count(), func.max(table.synced_at)).select_from(table))
        values = [self.s.execute(q).one() for q in parts]
        domains = self.s.execute(select(func.count()).select_from(VendorEmailDomain)).scalar_one()
        return "|".join(f"{n}:{ts.isoformat() if ts else '-'}" for n, ts in values) + f"|{domains}"

    def snapshot(self) -> MirrorSnapshot:
        revision = self.revision()
        accounts: dict[int, list[str]] = {}
        for vid, acc in self.s.execute(select(VendorBankAccount.vendor_id, VendorBankAccount.sanitized)
                                       .where(VendorBankAccount.active.is_(True))):
            accounts.setdefault(vid, []).append(acc)
        domains: dict[int, list[str]] = {}
        for vid, dom in self.s.execute(select(VendorEmailDomain.vendor_id, VendorEmailDomain.domain)):
            domains.setdefault(vid, []).append(dom)
        vendors = [_vendor(v, accounts.get(v.id, []), domains.get(v.id, [])) for v in self.s.scalars(select(Vendor))]
        orders = [(i, n, v) for i, n, v in self.s.execute(
            select(PurchaseOrder.id, PurchaseOrder.name, PurchaseOrder.vendor_id))]
        companies = [CompanyRecord(c.id, c.name, c.vat, c.currency) for c in self.s.scalars(select(Company))]
        sites = [SiteRecord(x.id, x.name, x.code, x.company_id) for x in self.s.scalars(select(Site))]
        return MirrorSnapshot(revision, vendors, orders, companies, sites)

    def vendor(self, vendor_id: int) -> VendorRecord | None:
        v = self.s.get(Vendor, vendor_id)
        if v is None:
            return None
        accounts = list(self.s.scalars(select(VendorBankAccount.sanitized).where(
            VendorBankAccount.vendor_id == vendor_id, VendorBankAccount.active.is_(True))))
        domains = list(self.s.scalars(select(VendorEmailDomain.domain).where(VendorEmailDomain.vendor_id == vendor_id)))
        return _vendor(v, accounts, domains)

    def orders(self, order_ids: Collection[int]) -> list[OrderRecord]:
        if not order_ids:
            return []
        return [_order(o) for o in self.s.scalars(select(PurchaseOrder).where(PurchaseOrder.id.in_(list(order_ids))))]

    def open_orders(self, vendor_id: int) -> list[OrderRecord]:
        return [_order(o) for o in self.s.scalars(select(PurchaseOrder).where(
            PurchaseOrder.vendor_id == vendor_id, PurchaseOrder.state.in_(OPEN_STATES)))]

    def order_lines(self, order_ids: Collection[int]) -> list[OrderLineRecord]:
        if not order_ids:
            return []
        rows = self.s.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.order_id.in_(list(order_ids)))
                              .order_by(PurchaseOrderLine.order_id, PurchaseOrderLine.sequence, PurchaseOrderLine.id))
        return [OrderLineRecord(
            ln.id, ln.order_id, ln.name, ln.product_qty, ln.price_unit, ln.product_id, ln.qty_received or ZERO,
            ln.qty_invoiced or ZERO, tuple(int(t) for t in (ln.tax_ids or [])), ln.uom_id, ln.sequence,
            ln.display_type, ln.synced_at) for ln in rows]

    def receipt_lines(self, po_line_ids: Collection[int]) -> list[ReceiptLineRecord]:
        if not po_line_ids:
            return []
        rows = self.s.execute(select(ReceiptLine, Receipt.name, Receipt.date_done)
                              .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
                              .where(ReceiptLine.po_line_id.in_(list(po_line_ids))))
        return [ReceiptLineRecord(r.id, r.receipt_id, name, r.po_line_id or 0, r.quantity, r.uom_id, r.state, done)
                for r, name, done in rows]

    def products(self, product_ids: Collection[int]) -> dict[int, ProductRecord]:
        if not product_ids:
            return {}
        return {p.id: ProductRecord(p.id, p.name, p.default_code, p.barcode, p.uom_id, p.purchase_method or "receive",
                                    p.type or "consu", p.category)
                for p in self.s.scalars(select(Product).where(Product.id.in_(list(product_ids))))}

    def supplier_info(self, vendor_id: int, product_ids: Collection[int]) -> list[SupplierInfoRecord]:
        if not product_ids:
            return []
        return [SupplierInfoRecord(x.vendor_id, x.product_id, x.product_code, x.product_name, x.price)
                for x in self.s.scalars(select(SupplierInfo).where(
                    SupplierInfo.vendor_id == vendor_id, SupplierInfo.product_id.in_(list(product_ids))))]

    def uoms(self) -> Mapping[int, UomRecord]:
        if self._uoms is None:
            self._uoms = {u.id: UomRecord(u.id, u.name, u.category, u.factor, u.uom_type)
                          for u in self.s.scalars(select(Uom))}
        return self._uoms

    def taxes(self, tax_ids: Collection[int]) -> dict[int, TaxRecord]:
        if not tax_ids:
            return {}
        return {t.id: TaxRecord(t.id, t.name, t.amount, t.amount_type)
                for t in self.s.scalars(select(Tax).where(Tax.id.in_(list(tax_ids))))}

    def bills(self, vendor_ids: Collection[int]) -> list[BillRecord]:
        if not vendor_ids:
            return []
        return [BillRecord(b.id, b.move_type, b.state, b.vendor_id, b.ref, b.name, _day(b.invoice_date),
                           b.amount_total, b.currency, b.invoice_origin, b.company_id)
                for b in self.s.scalars(select(VendorBill).where(
                    VendorBill.vendor_id.in_(list(vendor_ids)),
                    VendorBill.move_type.in_(("in_invoice", "in_refund"))))]

    def prior_documents(self, vendor_ids: Collection[int], exclude_document_id: int | None) -> list[PriorDocument]:
        if not vendor_ids:
            return []
        query = (select(Document, Posting.posted_at)
                 .outerjoin(Posting, Posting.document_id == Document.id)
                 .where(Document.vendor_id.in_(list(vendor_ids))))
        if exclude_document_id is not None:
            query = query.where(Document.id != exclude_document_id)
        docs = list(self.s.execute(query))
        billed = self._billed([d.id for d, _ in docs if d.state in PENDING_STATES or d.state == "posted"])
        return [PriorDocument(d.id, d.state, d.vendor_id, d.invoice_number, _day(d.invoice_date), d.total_amount,
                              d.currency, d.doc_type, d.received_at, None, posted_at, billed.get(d.id, ()),
                              d.company_id)
                for d, posted_at in docs]

    def _billed(self, document_ids: list[int]) -> dict[int, tuple[tuple[int, Decimal], ...]]:
        """What each document's latest match billed per PO line (``detail["billed"]``)."""
        if not document_ids:
            return {}
        latest = (select(MatchResult.document_id, func.max(MatchResult.run).label("run"))
                  .where(MatchResult.document_id.in_(document_ids)).group_by(MatchResult.document_id).subquery())
        rows = self.s.execute(select(MatchResult.document_id, MatchResult.detail).join(
            latest, (latest.c.document_id == MatchResult.document_id) & (latest.c.run == MatchResult.run)))
        return {doc_id: _billed_pairs(detail) for doc_id, detail in rows}


def _billed_pairs(detail: dict[str, Any] | None) -> tuple[tuple[int, Decimal], ...]:
    out = []
    for pair in (detail or {}).get("billed", []):
        try:
            out.append((int(pair[0]), Decimal(str(pair[1]))))
        except (ValueError, TypeError, IndexError, ArithmeticError):
            continue
    return tuple(out)


def _vendor(v: Vendor, accounts: list[str], domains: list[str]) -> VendorRecord:
    return VendorRecord(v.id, v.name, v.vat, v.street, v.city, v.zip, v.country, v.email, v.company_id, v.category,
                        v.invoice_limit, bool(v.active), tuple(accounts), tuple(domains))


def _order(o: PurchaseOrder) -> OrderRecord:
    return OrderRecord(o.id, o.name, o.vendor_id, o.state, o.currency, o.partner_ref, o.company_id, o.site_id,
                       o.date_order, o.amount_total, o.invoice_status, o.receipt_status)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
