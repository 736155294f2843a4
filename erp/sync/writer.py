"""Writing Odoo-shaped records into the mirror: ``apply_records(model, records)``.

Every source (the Odoo sync, a snapshot, the read-through refresh) ends here, so a record means the
same whichever way it came. Rows are upserted by Odoo id in bulk (one select of the ids present, one
insert, one update per batch); records out of the mirror's scope are removed; records read with their
lines nested (``order_line``, ``move_ids``, ``bank_ids``) replace the lines the mirror had for them, so
a line deleted in Odoo disappears here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, String, delete, insert, select, update
from sqlalchemy.orm import Session

from erp.sync import mapping
from erp.sync.mapping import Lookups, Row
from models.base import utcnow
from models.mirror import (
    Company,
    MirrorRow,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Site,
    SupplierInfo,
    SyncWatermark,
    Tax,
    Uom,
    Vendor,
    VendorBankAccount,
    VendorBill,
    VendorEmailDomain,
)

RowFn = Callable[[dict[str, Any], Lookups], Row | None]


@dataclass(frozen=True)
class Target:
    table: type[MirrorRow]
    row: RowFn


TARGETS: dict[str, Target] = {
    "res.company": Target(Company, mapping.company_row),
    "stock.warehouse": Target(Site, mapping.site_row),
    "res.partner": Target(Vendor, mapping.vendor_row),
    "res.partner.bank": Target(VendorBankAccount, mapping.bank_row),
    "uom.uom": Target(Uom, mapping.uom_row),
    "product.product": Target(Product, mapping.product_row),
    "product.supplierinfo": Target(SupplierInfo, mapping.supplierinfo_row),
    "account.tax": Target(Tax, mapping.tax_row),
    "purchase.order": Target(PurchaseOrder, mapping.order_row),
    "purchase.order.line": Target(PurchaseOrderLine, mapping.order_line_row),
    "stock.picking": Target(Receipt, mapping.receipt_row),
    "stock.move": Target(ReceiptLine, mapping.receipt_line_row),
    "account.move": Target(VendorBill, mapping.bill_row),
}
# Models the mirror keeps no table for but needs the names of (see ``Lookups``).
LOOKUP_ONLY = frozenset({"res.currency", "stock.picking.type", "uom.category", "product.category"})
# A parent read with its lines nested: (field, line model, the lines' link to the parent).
NESTED: dict[str, tuple[str, str, str]] = {
    "purchase.order": ("order_line", "purchase.order.line", "order_id"),
    "stock.picking": ("move_ids", "stock.move", "picking_id"),
    "res.partner": ("bank_ids", "res.partner.bank", "partner_id"),
}
# Removing a parent removes its lines with it.
CHILDREN: dict[str, tuple[type[MirrorRow], Any]] = {
    "purchase.order": (PurchaseOrderLine, PurchaseOrderLine.order_id),
    "stock.picking": (ReceiptLine, ReceiptLine.receipt_id),
}
CHUNK = 500


@dataclass
class ApplyResult:
    upserted: int = 0
    removed: int = 0
    ids: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # the ids now in the mirror
    max_write_date: datetime | None = None

    def add(self, other: ApplyResult) -> None:
        self.upserted += other.upserted
        self.removed += other.removed
        self.ids.extend(other.ids)
        self.kept.extend(other.kept)
        if other.max_write_date and (self.max_write_date is None or other.max_write_date > self.max_write_date):
            self.max_write_date = other.max_write_date


class MirrorWriter:
    def __init__(self, session: Session, lookups: Lookups | None = None) -> None:
        self.session = session
        self.lookups = lookups or Lookups()

    def apply_records(self, model: str, records: Iterable[dict[str, Any]]) -> ApplyResult:
        """Upsert what belongs in the mirror, remove what no longer does; returns what was written."""
        records = list(records)
        for rec in records:
            self.lookups.learn(model, rec)
        result = ApplyResult(ids=[int(r["id"]) for r in records])
        for rec in records:
            written = mapping.stamp(rec.get("write_date"))
            if written and (result.max_write_date is None or written > result.max_write_date):
                result.max_write_date = written
        target = TARGETS.get(model)
        if target is None:
            if model not in LOOKUP_ONLY:
                raise ValueError(f"the mirror has no place for Odoo model {model!r}")
            return result
        rows: list[Row] = []
        gone: list[int] = []
        for rec in records:
            row = target.row(rec, self.lookups)
            if row is None:
                gone.append(int(rec["id"]))
            else:
                rows.append(row)
        result.kept = [int(r["id"]) for r in rows]
        result.upserted = self._upsert(target.table, rows)
        result.removed = self.remove(model, gone)
        if model == "res.partner":
            self._replace_domains(records, {r["id"] for r in rows})
        nested = NESTED.get(model)
        if nested is not None:
            self._apply_nested(model, records, {r["id"] for r in rows}, *nested)
        return result

    def _apply_nested(self, model: str, records: Sequence[dict[str, Any]], kept: set[int], fname: str,
                      child_model: str, link: str) -> None:
        children: list[dict[str, Any]] = []
        parents: list[int] = []
        for rec in records:
            lines = rec.get(fname)
            if not lines or not isinstance(lines[0], dict):
                if lines == [] and int(rec["id"]) in kept:
                    parents.append(int(rec["id"]))  # read with its lines: it has none now
                continue
            if int(rec["id"]) not in kept:
                continue
            parents.append(int(rec["id"]))
            for child in lines:
                children.append({**child, link: child.get(link) or rec["id"]})
        if not parents:
            return
        written = self.apply_records(child_model, children)
        table = TARGETS[child_model].table
        link_col = getattr(table, "vendor_id" if child_model == "res.partner.bank" else
                           "order_id" if child_model == "purchase.order.line" else "receipt_id")
        keep = set(written.ids)
        for chunk in _chunks(parents):
            stale = self.session.execute(select(table.id).where(link_col.in_(chunk))).scalars().all()
            self._delete_ids(table, [i for i in stale if i not in keep])

    def _replace_domains(self, records: Sequence[dict[str, Any]], kept: set[int]) -> None:
        ids = [int(r["id"]) for r in records]
        for chunk in _chunks(ids):
            self.session.execute(delete(VendorEmailDomain).where(VendorEmailDomain.vendor_id.in_(chunk)))
        pairs = {(int(rec["id"]), domain[:200]) for rec in records if int(rec["id"]) in kept
                 for domain in mapping.vendor_domains(rec)}
        rows = [{"vendor_id": vid, "domain": domain} for vid, domain in sorted(pairs)]
        if rows:
            self.session.execute(insert(VendorEmailDomain), rows)

    def _upsert(self, table: type[MirrorRow], rows: list[Row]) -> int:
        if not rows:
            return 0
        now = utcnow()
        lengths = _string_lengths(table)
        by_id: dict[int, Row] = {}
        for row in rows:
            for col, limit in lengths.items():
                value = row.get(col)
                if isinstance(value, str) and len(value) > limit:
                    row[col] = value[:limit]
            row["synced_at"] = now
            by_id[row["id"]] = row  # the last reading of a record wins
        existing: set[int] = set()
        for chunk in _chunks(list(by_id)):
            existing.update(self.session.execute(select(table.id).where(table.id.in_(chunk))).scalars())
        new = [r for i, r in by_id.items() if i not in existing]
        old = [r for i, r in by_id.items() if i in existing]
        if new:
            # Core, not the ORM's bulk insert: the rows are complete and the ORM's per-row bookkeeping
            # doubled the cost of a full sync.
            self.session.execute(insert(table.__table__), new)  # type: ignore[attr-defined]
        if old:
            self.session.execute(update(table), old)
        return len(by_id)

    def remove(self, model: str, ids: Collection[int]) -> int:
        """Take records out of the mirror (deleted in Odoo, or out of scope), with their lines."""
        target = TARGETS.get(model)
        if target is None or not ids:
            return 0
        if model == "res.partner":
            # A vendor named by old documents stays, marked inactive: history keeps its name.
            count = 0
            for chunk in _chunks(list(ids)):
                result = self.session.execute(
                    update(Vendor).where(Vendor.id.in_(chunk), Vendor.active.is_(True)).values(active=False))
                count += cast(CursorResult[Any], result).rowcount or 0
            return count
        child = CHILDREN.get(model)
        if child is not None:
            child_table, link = child
            for chunk in _chunks(list(ids)):
                self.session.execute(delete(child_table).where(link.in_(chunk)))
        return self._delete_ids(target.table, ids)

    def remove_missing(self, model: str, present: Collection[int]) -> int:
        """Everything of this model the mirror has that Odoo no longer lists in the mirror's scope."""
        target = TARGETS.get(model)
        if target is None:
            return 0
        present_set = set(present)
        query = select(target.table.id)
        if model == "res.partner":
            query = query.where(Vendor.active.is_(True))
        have = self.session.execute(query).scalars().all()
        return self.remove(model, [i for i in have if i not in present_set])

    def _delete_ids(self, table: type[MirrorRow], ids: Collection[int]) -> int:
        count = 0
        for chunk in _chunks(list(ids)):
            result = self.session.execute(delete(table).where(table.id.in_(chunk)))
            count += cast(CursorResult[Any], result).rowcount or 0
        return count

    # -- watermarks --------------------------------------------------------------------------------

    def watermark(self, model: str) -> SyncWatermark | None:
        return self.session.get(SyncWatermark, model)

    def set_watermark(self, model: str, last_write_date: datetime | None, *, full: bool, records: int) -> None:
        mark = self.session.get(SyncWatermark, model)
        if mark is None:
            mark = SyncWatermark(model=model, records=0)
            self.session.add(mark)
        if last_write_date is not None and (mark.last_write_date is None or full or
                                            last_write_date > mark.last_write_date):
            mark.last_write_date = last_write_date
        if full:
            mark.last_full_sync = utcnow()
        mark.records = records


def _chunks(ids: list[int], size: int = CHUNK) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _string_lengths(table: type[MirrorRow]) -> dict[str, int]:
    out = {}
    for col in table.__table__.columns:  # type: ignore[attr-defined]
        if isinstance(col.type, String) and col.type.length:
            out[col.name] = int(col.type.length)
    return out


def apply_records(session: Session, model: str, records: Iterable[dict[str, Any]],
                  lookups: Lookups | None = None) -> ApplyResult:
    return MirrorWriter(session, lookups).apply_records(model, records)
