"""The mirror held in memory: for property tests, benchmarks and running a generated world's catalogue.

It answers exactly what ``sql_view`` answers, from dictionaries built once. Documents can be added as
they are matched, so a run over a scenario catalogue sees earlier invoices the way the pipeline does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

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

OPEN_ORDER_STATES = frozenset({"purchase", "done"})


@dataclass
class MemoryMirror:
    vendors_by_id: dict[int, VendorRecord] = field(default_factory=dict)
    orders_by_id: dict[int, OrderRecord] = field(default_factory=dict)
    lines_by_order: dict[int, list[OrderLineRecord]] = field(default_factory=dict)
    receipts_by_line: dict[int, list[ReceiptLineRecord]] = field(default_factory=dict)
    products_by_id: dict[int, ProductRecord] = field(default_factory=dict)
    supplier_by_vendor: dict[int, list[SupplierInfoRecord]] = field(default_factory=dict)
    uoms_by_id: dict[int, UomRecord] = field(default_factory=dict)
    taxes_by_id: dict[int, TaxRecord] = field(default_factory=dict)
    bills_by_vendor: dict[int | None, list[BillRecord]] = field(default_factory=dict)
    documents_by_vendor: dict[int | None, dict[int, PriorDocument]] = field(default_factory=dict)
    companies: list[CompanyRecord] = field(default_factory=list)
    sites: list[SiteRecord] = field(default_factory=list)
    _orders_by_vendor: dict[int, list[int]] = field(default_factory=dict)
    _revision: int = 0

    @classmethod
    def build(
        cls,
        *,
        vendors: Iterable[VendorRecord] = (),
        orders: Iterable[OrderRecord] = (),
        lines: Iterable[OrderLineRecord] = (),
        receipts: Iterable[ReceiptLineRecord] = (),
        products: Iterable[ProductRecord] = (),
        supplier_info: Iterable[SupplierInfoRecord] = (),
        uoms: Iterable[UomRecord] = (),
        taxes: Iterable[TaxRecord] = (),
        bills: Iterable[BillRecord] = (),
        documents: Iterable[PriorDocument] = (),
        companies: Iterable[CompanyRecord] = (),
        sites: Iterable[SiteRecord] = (),
    ) -> MemoryMirror:
        m = cls()
        m.vendors_by_id = {v.id: v for v in vendors}
        m.orders_by_id = {o.id: o for o in orders}
        lines_by_order: dict[int, list[OrderLineRecord]] = defaultdict(list)
        for line in lines:
            lines_by_order[line.order_id].append(line)
        m.lines_by_order = {k: sorted(v, key=lambda x: (x.sequence, x.id)) for k, v in lines_by_order.items()}
        receipts_by_line: dict[int, list[ReceiptLineRecord]] = defaultdict(list)
        for r in receipts:
            receipts_by_line[r.po_line_id].append(r)
        m.receipts_by_line = dict(receipts_by_line)
        m.products_by_id = {p.id: p for p in products}
        supplier: dict[int, list[SupplierInfoRecord]] = defaultdict(list)
        for s in supplier_info:
            supplier[s.vendor_id].append(s)
        m.supplier_by_vendor = dict(supplier)
        m.uoms_by_id = {u.id: u for u in uoms}
        m.taxes_by_id = {t.id: t for t in taxes}
        bills_by_vendor: dict[int | None, list[BillRecord]] = defaultdict(list)
        for b in bills:
            bills_by_vendor[b.vendor_id].append(b)
        m.bills_by_vendor = dict(bills_by_vendor)
        for d in documents:
            m.add_document(d)
        m.companies = list(companies)
        m.sites = list(sites)
        m._reindex_orders()
        return m

    def _reindex_orders(self) -> None:
        by_vendor: dict[int, list[int]] = defaultdict(list)
        for o in self.orders_by_id.values():
            by_vendor[o.vendor_id].append(o.id)
        self._orders_by_vendor = dict(by_vendor)
        self._revision += 1

    # -- changing it (what a sync or a newly matched document does) --------------------------------

    def add_document(self, doc: PriorDocument) -> None:
        """Record (or replace) one of our documents; not a mirror change, so the revision stays."""
        for docs in self.documents_by_vendor.values():
            docs.pop(doc.document_id, None)
        self.documents_by_vendor.setdefault(doc.vendor_id, {})[doc.document_id] = doc

    def replace_lines(self, lines: Iterable[OrderLineRecord]) -> None:
        """Apply changed PO lines (a receipt booked, a bill posted): the mirror's revision moves on."""
        changed = {line.id: line for line in lines}
        for order_id, existing in self.lines_by_order.items():
            self.lines_by_order[order_id] = [changed.pop(x.id, x) for x in existing]
        for line in changed.values():
            self.lines_by_order.setdefault(line.order_id, []).append(line)
        self._revision += 1

    def replace_vendor(self, vendor: VendorRecord) -> None:
        self.vendors_by_id[vendor.id] = vendor
        self._revision += 1

    # -- MirrorView --------------------------------------------------------------------------------

    def revision(self) -> str:
        return f"memory:{id(self)}:{self._revision}"

    def snapshot(self) -> MirrorSnapshot:
        names = [(o.id, o.name, o.vendor_id) for o in self.orders_by_id.values()]
        return MirrorSnapshot(revision=self.revision(), vendors=list(self.vendors_by_id.values()), orders=names,
                              companies=list(self.companies), sites=list(self.sites))

    def vendor(self, vendor_id: int) -> VendorRecord | None:
        return self.vendors_by_id.get(vendor_id)

    def orders(self, order_ids: Collection[int]) -> list[OrderRecord]:
        return [self.orders_by_id[i] for i in order_ids if i in self.orders_by_id]

    def open_orders(self, vendor_id: int) -> list[OrderRecord]:
        out = []
        for oid in self._orders_by_vendor.get(vendor_id, ()):
            o = self.orders_by_id[oid]
            if o.state in OPEN_ORDER_STATES:
                out.append(o)
        return out

    def order_lines(self, order_ids: Collection[int]) -> list[OrderLineRecord]:
        return [line for oid in order_ids for line in self.lines_by_order.get(oid, ())]

    def receipt_lines(self, po_line_ids: Collection[int]) -> list[ReceiptLineRecord]:
        return [r for lid in po_line_ids for r in self.receipts_by_line.get(lid, ())]

    def products(self, product_ids: Collection[int]) -> dict[int, ProductRecord]:
        return {i: self.products_by_id[i] for i in product_ids if i in self.products_by_id}

    def supplier_info(self, vendor_id: int, product_ids: Collection[int]) -> list[SupplierInfoRecord]:
        wanted = set(product_ids)
        return [s for s in self.supplier_by_vendor.get(vendor_id, ()) if s.product_id in wanted]

    def uoms(self) -> Mapping[int, UomRecord]:
        return self.uoms_by_id

    def taxes(self, tax_ids: Collection[int]) -> dict[int, TaxRecord]:
        return {i: self.taxes_by_id[i] for i in tax_ids if i in self.taxes_by_id}

    def bills(self, vendor_ids: Collection[int]) -> list[BillRecord]:
        return [b for v in vendor_ids for b in self.bills_by_vendor.get(v, ())]

    def prior_documents(self, vendor_ids: Collection[int], exclude_document_id: int | None) -> list[PriorDocument]:
        return [d for v in vendor_ids for d in self.documents_by_vendor.get(v, {}).values()
                if d.document_id != exclude_document_id]
