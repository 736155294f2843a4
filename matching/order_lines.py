"""A PO line with everything the checks need: its order, product, unit, codes, taxes and receipts."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from matching.mirror_view import (
    MirrorView,
    OrderLineRecord,
    OrderRecord,
    PriorDocument,
    ProductRecord,
    ReceiptLineRecord,
    UomRecord,
)
from matching.vendors.normalise import fold

ZERO = Decimal(0)
# Our own documents whose bill is decided but may not be in the mirror's qty_invoiced yet.
PENDING_STATES = frozenset({"auto_approved", "approved", "posting", "posting_failed"})


def code_key(code: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


@dataclass(frozen=True)
class PoLineInfo:
    line: OrderLineRecord
    order: OrderRecord
    product: ProductRecord | None
    uom: UomRecord | None
    codes: frozenset[str]
    names: tuple[str, ...]
    tax_rate: Decimal | None
    receipts: tuple[ReceiptLineRecord, ...]
    pending_billed: Decimal
    position: int = 1  # 1-based, in the order's own line order

    @property
    def id(self) -> int:
        return self.line.id

    @property
    def two_way(self) -> bool:
        """Billed on ordered quantity: services, and products set to ``purchase_method = purchase``."""
        p = self.product
        return p is None or p.is_service or p.purchase_method == "purchase"

    @property
    def kind(self) -> str:
        return "services" if self.product is None or self.product.is_service else "goods"

    @property
    def category(self) -> str | None:
        return self.product.category if self.product else None

    @property
    def billed_before(self) -> Decimal:
        return self.line.qty_invoiced + self.pending_billed

    @property
    def open_qty(self) -> Decimal:
        """What may still be billed: received (or ordered, two-way) less what is billed already."""
        basis = self.line.product_qty if self.two_way else self.line.qty_received
        return basis - self.billed_before

    @property
    def ref(self) -> str:
        return f"{self.order.name} line {self.position}"

    @property
    def label(self) -> str:
        return f"{self.order.name} / {self.line.name[:60]}"


def load_po_lines(mirror: MirrorView, orders: Sequence[OrderRecord], vendor_id: int | None,
                  prior: Sequence[PriorDocument]) -> list[PoLineInfo]:
    """The billable lines of ``orders`` (sections and notes left out), with their context."""
    if not orders:
        return []
    by_id = {o.id: o for o in orders}
    lines = [ln for ln in mirror.order_lines(list(by_id)) if ln.display_type is None]
    products = mirror.products({ln.product_id for ln in lines if ln.product_id is not None})
    supplier = mirror.supplier_info(vendor_id, products.keys()) if vendor_id is not None else []
    codes: dict[int, set[str]] = defaultdict(set)
    names: dict[int, list[str]] = defaultdict(list)
    for s in supplier:
        if s.product_code:
            codes[s.product_id].add(code_key(s.product_code))
        if s.product_name:
            names[s.product_id].append(fold(s.product_name))
    for p in products.values():
        for c in (p.default_code, p.barcode):
            if c:
                codes[p.id].add(code_key(c))
        names[p.id].append(fold(p.name))
    uoms = mirror.uoms()
    taxes = mirror.taxes({t for ln in lines for t in ln.tax_ids})
    receipts: dict[int, list[ReceiptLineRecord]] = defaultdict(list)
    for r in mirror.receipt_lines([ln.id for ln in lines]):
        receipts[r.po_line_id].append(r)
    pending = pending_billed(prior, lines)
    position = {ln.id: i for oid in by_id
                for i, ln in enumerate(sorted((x for x in lines if x.order_id == oid),
                                              key=lambda x: (x.sequence, x.id)), start=1)}
    out = []
    for ln in lines:
        rates = [taxes[t].amount for t in ln.tax_ids if t in taxes and taxes[t].amount_type == "percent"]
        pid = ln.product_id
        out.append(PoLineInfo(
            line=ln, order=by_id[ln.order_id], product=products.get(pid) if pid is not None else None,
            uom=uoms.get(ln.uom_id) if ln.uom_id is not None else None,
            codes=frozenset(codes.get(pid, set())) if pid is not None else frozenset(),
            names=tuple(dict.fromkeys([fold(ln.name), *(names.get(pid, []) if pid is not None else [])])),
            tax_rate=sum(rates, ZERO) if ln.tax_ids and len(rates) == len(ln.tax_ids) else None,
            receipts=tuple(receipts.get(ln.id, ())), pending_billed=pending.get(ln.id, ZERO),
            position=position[ln.id]))
    return out


def pending_billed(prior: Sequence[PriorDocument], lines: Sequence[OrderLineRecord]) -> Mapping[int, Decimal]:
    """Quantities our other documents bill on these lines that Odoo's ``qty_invoiced`` does not show yet:
    approved and not yet posted, or posted after the mirror last read the line."""
    synced = {ln.id: ln.synced_at for ln in lines}
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for doc in prior:
        for line_id, qty in doc.billed:
            if line_id not in synced:
                continue
            if doc.state in PENDING_STATES:
                out[line_id] += qty
            elif doc.state == "posted" and doc.posted_at is not None:
                seen = synced[line_id]
                if seen is None or doc.posted_at > seen:
                    out[line_id] += qty
    return out
