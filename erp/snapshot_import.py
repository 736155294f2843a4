"""``payables erp import FILE.json``: fill the mirror from a ``payables-world/1`` snapshot.

The snapshot holds Odoo 18 records (the synthetic world's, or an export of a real database), so it goes
through the very mapping and writer the Odoo sync uses. It is the whole truth: whatever the mirror has
beyond it is removed, and the watermarks are set as after a full sync.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from erp.client import m2o_id
from erp.errors import ErpError
from erp.sync.mapping import Lookups, stamp
from erp.sync.writer import TARGETS, MirrorWriter
from models.db import transaction

FORMAT = "payables-world/1"
# Names first (lookups), then parents before the lines that point at them.
ORDER = ("res.currency", "res.company", "stock.warehouse", "stock.picking.type", "uom.category", "uom.uom",
         "product.category", "account.tax", "product.product", "product.supplierinfo", "purchase.order",
         "purchase.order.line", "stock.picking", "stock.move", "account.move", "res.partner", "res.partner.bank")
BATCH = 2000
# Lines belong in the mirror only if their parent does (a draft PO's lines, a delivery's moves do not).
PARENT: dict[str, tuple[str, str]] = {
    "purchase.order.line": ("purchase.order", "order_id"),
    "stock.move": ("stock.picking", "picking_id"),
}


class SnapshotFormatError(ErpError):
    code = "snapshot_format"


@dataclass
class ImportReport:
    models: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.models, "removed": {k: v for k, v in self.removed.items() if v},
                "seconds": round(self.seconds, 3)}


def read_snapshot(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotFormatError(f"cannot read the snapshot {path}: {exc}") from exc
    check_snapshot(data, str(path))
    return dict(data)


def check_snapshot(data: Any, where: str = "the snapshot") -> None:
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
        raise SnapshotFormatError(f"{where} is not a {FORMAT} snapshot (format: {found!r})")
    models = data.get("models")
    if not isinstance(models, Mapping):
        raise SnapshotFormatError(f"{where} has no 'models' object")
    for model, records in models.items():
        if not isinstance(records, list) or any(not isinstance(r, Mapping) or "id" not in r for r in records):
            raise SnapshotFormatError(f"{where}: '{model}' must be a list of records, each with an id")


def vendor_ids(models: Mapping[str, list[dict[str, Any]]]) -> set[int]:
    """Partners that are vendors: ranked as suppliers, or named on a PO, receipt, bill or price list
    (Odoo's ``supplier_rank`` stays 0 for many real vendors)."""
    out = {int(p["id"]) for p in models.get("res.partner", []) if int(p.get("supplier_rank") or 0) > 0}
    for model in ("purchase.order", "stock.picking", "account.move", "product.supplierinfo"):
        for rec in models.get(model, []):
            pid = m2o_id(rec.get("partner_id"))
            if pid is not None:
                out.add(pid)
    return out


def import_snapshot(data: Mapping[str, Any], sessions: sessionmaker[Session]) -> ImportReport:
    check_snapshot(data)
    started = time.monotonic()
    models: Mapping[str, list[dict[str, Any]]] = data["models"]
    vendors = vendor_ids(models)
    lookups = Lookups()
    report = ImportReport()
    kept: dict[str, set[int]] = {}
    for model in ORDER:
        records = [dict(r) for r in models.get(model, [])]
        parent = PARENT.get(model)
        if parent is not None:
            records = [r for r in records if m2o_id(r.get(parent[1])) in kept.get(parent[0], set())]
        if model == "res.partner":
            records = [r for r in records if int(r["id"]) in vendors]
        elif model == "res.partner.bank":
            records = [r for r in records if m2o_id(r.get("partner_id")) in vendors]
        newest: datetime | None = None
        ids: list[int] = []
        for i in range(0, max(len(records), 1), BATCH):
            with transaction(sessions) as s:
                result = MirrorWriter(s, lookups).apply_records(model, records[i:i + BATCH])
            ids.extend(result.ids)
            kept.setdefault(model, set()).update(result.kept)
            newest = max((d for d in (newest, result.max_write_date) if d), default=None)
        with transaction(sessions) as s:
            writer = MirrorWriter(s, lookups)
            if model in TARGETS:
                report.removed[model] = writer.remove_missing(model, ids)
                writer.set_watermark(model, newest or _newest(records), full=True, records=len(records))
        report.models[model] = len(records)
    report.seconds = time.monotonic() - started
    return report


def _newest(records: list[dict[str, Any]]) -> datetime | None:
    stamps = [s for s in (stamp(r.get("write_date")) for r in records) if s]
    return max(stamps) if stamps else None


def import_snapshot_file(path: Path, sessions: sessionmaker[Session]) -> ImportReport:
    return import_snapshot(read_snapshot(path), sessions)
