"""Read-through refresh: before an invoice is matched, re-read the POs it names (and their receipts)
from Odoo when the mirror's copy is older than ``max_age_s``, so a receipt booked a minute ago counts.

It writes through the same mapping and writer as the sync, in the caller's session (the caller commits
with its own work). POs the mirror does not know are looked up by name too: a PO confirmed after the
last sync is found. A PO cancelled or reset to draft in Odoo comes back cancelled or leaves the mirror.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from erp.client import OdooClient, m2o_id
from erp.sync import plans
from erp.sync.mapping import Lookups
from erp.sync.odoo_source import OdooSource, and_domains, or_domains
from erp.sync.writer import MirrorWriter
from models.base import utcnow
from models.mirror import PurchaseOrder, Receipt, Vendor


@dataclass
class RefreshReport:
    refreshed: list[int] = field(default_factory=list)  # PO ids re-read from Odoo
    fresh: list[int] = field(default_factory=list)  # young enough: left as they were
    not_found: list[str] = field(default_factory=list)  # names/ids Odoo has no confirmed PO for
    removed: list[int] = field(default_factory=list)  # left the mirror (deleted, or back to draft)
    calls: int = 0

    def to_json(self) -> dict[str, Any]:
        return vars(self).copy()


def refresh_orders(client: OdooClient, session: Session, orders: Iterable[str | int], max_age_s: float,
                   *, now: datetime | None = None) -> RefreshReport:
    """Re-read these POs (names or Odoo ids) and their receipts if the mirror's copy is older than
    ``max_age_s`` seconds (0: always). Raises ``ErpError`` when Odoo cannot be read: the caller decides
    whether to match on the mirror as it stands (and say so) or to retry."""
    wanted = list(dict.fromkeys(orders))
    names = [o for o in wanted if isinstance(o, str)]
    ids = [int(o) for o in wanted if not isinstance(o, str)]
    report = RefreshReport()
    if not wanted:
        return report
    calls_before = client.stats.total
    rows = session.execute(select(PurchaseOrder).where(
        or_(PurchaseOrder.id.in_(ids), PurchaseOrder.name.in_(names)))).scalars().all()
    cutoff = (now or utcnow()) - timedelta(seconds=max_age_s)
    stale = [r.id for r in rows if max_age_s <= 0 or r.synced_at is None or r.synced_at <= cutoff]
    report.fresh = [r.id for r in rows if r.id not in stale]
    unknown_names = sorted(set(names) - {r.name for r in rows})
    unknown_ids = sorted(set(ids) - {r.id for r in rows})
    if not stale and not unknown_names and not unknown_ids:
        return report

    scoped = client.for_companies(client.user_company_ids())
    source = OdooSource(scoped)
    lookups = Lookups()
    if not scoped.has_web_search_read:
        # Without nested reads, a PO's site comes from its picking type: know them first.
        for batch in source.read(plans.PICKING_TYPE, []):
            for rec in batch:
                lookups.learn("stock.picking.type", rec)
    # No state filter: a PO cancelled or reset to draft must come back to be updated or removed.
    domain = or_domains([("id", "in", stale + unknown_ids)], [("name", "in", unknown_names)])
    records = [r for batch in source.read(plans.ORDER, domain) for r in batch]
    writer = MirrorWriter(session, lookups)
    result = writer.apply_records("purchase.order", records)
    returned = {int(r["id"]) for r in records}
    kept = set(result.kept)
    deleted = [i for i in stale if i not in returned]
    writer.remove("purchase.order", deleted)
    report.removed = sorted(set(deleted) | (returned - kept))
    report.refreshed = sorted(kept)
    found_names = {str(r.get("name")) for r in records if int(r["id"]) in kept}
    found_ids = {int(r["id"]) for r in records if int(r["id"]) in kept}
    report.not_found = [n for n in unknown_names if n not in found_names] + \
                       [str(i) for i in unknown_ids if i not in found_ids]
    if kept:
        _refresh_receipts(source, writer, sorted(kept))
        _refresh_new_vendors(source, writer, session, records)
    session.flush()
    report.calls = client.stats.total - calls_before
    return report


def _refresh_receipts(source: OdooSource, writer: MirrorWriter, order_ids: list[int]) -> None:
    domain = and_domains(plans.PICKING_SCOPE, [("purchase_id", "in", order_ids)])
    pickings = [r for batch in source.read(plans.PICKING, domain) for r in batch]
    writer.apply_records("stock.picking", pickings)
    present = {int(p["id"]) for p in pickings}
    have = writer.session.execute(select(Receipt.id).where(Receipt.order_id.in_(order_ids))).scalars().all()
    writer.remove("stock.picking", [i for i in have if i not in present])


def _refresh_new_vendors(source: OdooSource, writer: MirrorWriter, session: Session,
                         records: list[dict[str, Any]]) -> None:
    partners = {p for p in (m2o_id(r.get("partner_id")) for r in records) if p is not None}
    if not partners:
        return
    known = set(session.execute(select(Vendor.id).where(Vendor.id.in_(sorted(partners)))).scalars())
    missing = sorted(partners - known)
    if missing:
        domain = and_domains(plans.ANY_ACTIVE, [("id", "in", missing)])
        writer.apply_records("res.partner", [r for batch in source.read(plans.PARTNER, domain) for r in batch])
