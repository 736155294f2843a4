"""``payables erp sync``: bring the mirror up to date with Odoo, incrementally or in full.

Each model keeps a watermark: the latest ``write_date`` seen, minus the time the read took (a record
changed while we paged past it carries a later stamp than some we read after it). The next run asks
for records written since the watermark, less an overlap for transactions that committed late; since
upserts are idempotent, reading a record twice costs nothing. Odoo bumps ``write_date`` when a stored
computed field changes (``qty_received`` after a receipt, ``qty_invoiced`` after a bill), so those come
through too. Small reference models are read whole every run. Deletions leave no trace in Odoo, so
every run also lists the ids in scope (one ``search`` per model, ids only) and removes the rest.

Every batch is its own transaction; a watermark moves only after its model finished, so an interrupted
run is simply re-done from where the watermarks stand.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from erp.client import Domain, OdooClient, m2o_id
from erp.errors import ErpServerError
from erp.sync import plans
from erp.sync.mapping import Lookups, stamp
from erp.sync.odoo_source import OdooSource, ReadSpec, and_domains, or_domains
from erp.sync.writer import MirrorWriter
from models.db import transaction
from models.mirror import Vendor

log = logging.getLogger("payables.erp.sync")
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


@dataclass
class ModelReport:
    read: int = 0
    upserted: int = 0
    removed: int = 0
    incremental: bool = False


@dataclass
class SyncReport:
    full: bool
    models: dict[str, ModelReport] = field(default_factory=dict)
    seconds: float = 0.0
    calls: int = 0
    retries: int = 0
    odoo_seconds: float = 0.0  # of ``seconds``, waiting for Odoo and parsing its answers

    def model(self, name: str) -> ModelReport:
        return self.models.setdefault(name, ModelReport())

    def to_json(self) -> dict[str, Any]:
        return {"full": self.full, "seconds": round(self.seconds, 3), "odoo_seconds": round(self.odoo_seconds, 3),
                "rpc_calls": self.calls,
                "retries": self.retries, "models": {k: vars(v) for k, v in self.models.items()}}


def odoo_time(value: datetime) -> str:
    return value.strftime(ODOO_DATETIME)


def changed_since(since: str) -> Domain:
    return [("write_date", ">=", since)]


class MirrorSync:
    def __init__(self, client: OdooClient, sessions: sessionmaker[Session], *, batch_size: int = 500,
                 overlap_s: float = 300.0, company_ids: Iterable[int] | None = None) -> None:
        self.client = client
        self.sessions = sessions
        self.batch_size = batch_size
        self.overlap = timedelta(seconds=overlap_s)
        self.company_ids = list(company_ids) if company_ids else None

    def run(self, *, full: bool = False) -> SyncReport:
        started = time.monotonic()
        calls_before, retries_before = self.client.stats.total, self.client.stats.retries
        wait_before = self.client.stats.wait_s
        scoped = self.client.for_companies(self.company_ids or self.client.user_company_ids())
        self.source = OdooSource(scoped, self.batch_size)
        self.lookups = Lookups()
        self.report = SyncReport(full=full)
        self.partner_refs: set[int] = set()
        self._reference_models()
        self._model(plans.PRODUCT, [*plans.ANY_ACTIVE], full, changed=lambda s: or_domains(
            changed_since(s), [("product_tmpl_id.write_date", ">=", s)]))
        self._model(plans.SUPPLIER_INFO, [], full)
        # A PO leaving the scope (reset to draft) must be seen to be removed: the changed-records query
        # drops the state filter.
        self._model(plans.ORDER, plans.ORDER_SCOPE, full, changed_scope=[])
        self._model(plans.ORDER_LINE, plans.LINE_SCOPE, full, only_incremental=True)
        self._model(plans.PICKING, plans.PICKING_SCOPE, full)
        self._model(plans.MOVE, plans.MOVE_SCOPE, full, only_incremental=True)
        self._model(plans.BILL, plans.BILL_SCOPE, full)
        self._partners(full)
        self._remove_deleted()
        self.report.seconds = time.monotonic() - started
        self.report.calls = self.client.stats.total - calls_before
        self.report.retries = self.client.stats.retries - retries_before
        self.report.odoo_seconds = self.client.stats.wait_s - wait_before
        return self.report

    # -- steps ----------------------------------------------------------------------------------------

    def _reference_models(self) -> None:
        for spec, domain in plans.REFERENCE:
            try:
                records = [r for batch in self.source.read(spec, domain) for r in batch]
            except ErpServerError:
                if spec is plans.UOM_CATEGORY:  # Odoo 19 removed unit categories
                    continue
                raise
            with transaction(self.sessions) as s:
                writer = MirrorWriter(s, self.lookups)
                result = writer.apply_records(spec.model, records)
                removed = writer.remove_missing(spec.model, result.ids)
            rep = self.report.model(spec.model)
            rep.read, rep.upserted, rep.removed = len(records), result.upserted, removed

    def _since(self, model: str, full: bool) -> str | None:
        if full:
            return None
        with transaction(self.sessions) as s:
            mark = MirrorWriter(s).watermark(model)
            if mark is None or mark.last_write_date is None:
                return None
            return odoo_time(mark.last_write_date - self.overlap)

    def _model(self, spec: ReadSpec, scope: Domain, full: bool, *, changed: Callable[[str], Domain] = changed_since,
               changed_scope: Domain | None = None, only_incremental: bool = False) -> None:
        since = self._since(spec.model, full)
        if since is None and only_incremental:
            return  # read nested with its parents in a full read
        domain = scope if since is None else and_domains(scope if changed_scope is None else changed_scope,
                                                         changed(since))
        self._model_domain(spec, domain, since)

    def _note_partners(self, batch: list[dict[str, Any]]) -> None:
        for rec in batch:
            pid = m2o_id(rec.get("partner_id"))
            if pid is not None:
                self.partner_refs.add(pid)

    def _partners(self, full: bool) -> None:
        since = self._since("res.partner", full)
        with transaction(self.sessions) as s:
            known = set(s.execute(select(Vendor.id)).scalars())
        vendors = or_domains([("supplier_rank", ">", 0)], [("id", "in", sorted(known | self.partner_refs))])
        if since is None:
            domain = and_domains(plans.ANY_ACTIVE, or_domains([("supplier_rank", ">", 0)],
                                                              [("id", "in", sorted(self.partner_refs | known))]))
        else:
            new = sorted(self.partner_refs - known)
            domain = and_domains(plans.ANY_ACTIVE, or_domains(and_domains(changed_since(since), vendors),
                                                              [("id", "in", new)]))
        self._model_domain(plans.PARTNER, domain, since)
        if since is not None:
            bank_since = self._since("res.partner.bank", False)
            with transaction(self.sessions) as s:
                vendor_ids = sorted(s.execute(select(Vendor.id)).scalars())
            bank_domain = and_domains(plans.ANY_ACTIVE, [("partner_id", "in", vendor_ids)],
                                      changed_since(bank_since) if bank_since else [])
            self._model_domain(plans.BANK, bank_domain, bank_since)

    def _model_domain(self, spec: ReadSpec, domain: Domain, since: str | None) -> None:
        rep = self.report.model(spec.model)
        rep.incremental = since is not None
        began = time.monotonic()
        newest = newest_line = None
        for batch in self.source.read(spec, domain):
            self._note_partners(batch)
            with transaction(self.sessions) as s:
                result = MirrorWriter(s, self.lookups).apply_records(spec.model, batch)
            rep.read += len(batch)
            rep.upserted += result.upserted
            rep.removed += result.removed
            newest = _later(newest, result.max_write_date)
            if spec.nested is not None:
                for rec in batch:
                    for line in rec.get(spec.nested.field) or []:
                        if isinstance(line, dict):
                            self.report.model(spec.nested.model).read += 1
                            newest_line = _later(newest_line, stamp(line.get("write_date")))
        elapsed = timedelta(seconds=time.monotonic() - began)
        with transaction(self.sessions) as s:
            writer = MirrorWriter(s)
            writer.set_watermark(spec.model, newest - elapsed if newest else None, full=since is None,
                                 records=rep.read)
            if spec.nested is not None and since is None:
                writer.set_watermark(spec.nested.model, newest_line - elapsed if newest_line else None, full=True,
                                     records=0)

    def _remove_deleted(self) -> None:
        """Ids in scope, listed by Odoo; whatever the mirror has beyond them was deleted or left scope."""
        scopes: tuple[tuple[str, Domain], ...] = (
            ("product.product", plans.ANY_ACTIVE), ("product.supplierinfo", []),
            ("purchase.order", plans.ORDER_SCOPE), ("purchase.order.line", plans.LINE_SCOPE),
            ("stock.picking", plans.PICKING_SCOPE), ("stock.move", plans.MOVE_SCOPE),
            ("account.move", plans.BILL_SCOPE))
        for model, scope in scopes:
            present = self.source.ids(model, scope)
            with transaction(self.sessions) as s:
                self.report.model(model).removed += MirrorWriter(s).remove_missing(model, present)
        with transaction(self.sessions) as s:
            vendor_ids = sorted(s.execute(select(Vendor.id).where(Vendor.active.is_(True))).scalars())
        present = self.source.ids("res.partner", and_domains(plans.ANY_ACTIVE, [("id", "in", vendor_ids)]))
        banks = self.source.ids("res.partner.bank", and_domains(plans.ANY_ACTIVE, [("partner_id", "in", vendor_ids)]))
        with transaction(self.sessions) as s:
            writer = MirrorWriter(s)
            self.report.model("res.partner").removed += writer.remove_missing("res.partner", present)
            self.report.model("res.partner.bank").removed += writer.remove_missing("res.partner.bank", banks)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def sync_mirror(client: OdooClient, sessions: sessionmaker[Session], *, full: bool = False,
                batch_size: int = 500, overlap_s: float = 300.0) -> SyncReport:
    return MirrorSync(client, sessions, batch_size=batch_size, overlap_s=overlap_s).run(full=full)
