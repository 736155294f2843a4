"""``payables erp import``: the snapshot fills the mirror through the sync's own mapping; it is the whole
truth, so importing a smaller one removes what it no longer has."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from erp.snapshot_import import SnapshotFormatError, import_snapshot
from models import mirror as M
from payables.cli import cli


def count(sessions: sessionmaker[Session], table: Any) -> int:
    with sessions() as s:
        return int(s.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_keeps_confirmed_orders_vendors_and_their_identifiers(snapshot: dict[str, Any],
                                                                     sessions: sessionmaker[Session]) -> None:
    report = import_snapshot(snapshot, sessions)
    assert report.models["purchase.order"] == 12
    with sessions() as s:
        assert set(s.execute(select(M.PurchaseOrder.state)).scalars()) == {"purchase", "done", "cancel"}
        vendor = s.get(M.Vendor, 100)
        assert vendor is not None and vendor.vat_normalised == "DE136695976" and vendor.country == "DE"
        assert s.get(M.Vendor, 99) is None  # a customer
        domains = set(s.execute(select(M.VendorEmailDomain.domain).where(M.VendorEmailDomain.vendor_id == 100))
                      .scalars())
        assert domains == {"medi.example"}
        order = s.get(M.PurchaseOrder, 601)
        assert order is not None and order.site_id == 2 and order.currency == "EUR"
        box = s.execute(select(M.Uom).where(M.Uom.name == "Box of 100")).scalar_one()
        assert str(box.factor) in ("0.01", "0.010000")
        assert s.execute(select(M.SyncWatermark).where(M.SyncWatermark.model == "purchase.order")).scalar_one()


def test_reimporting_a_smaller_world_removes_what_it_lost(snapshot: dict[str, Any],
                                                          sessions: sessionmaker[Session]) -> None:
    import_snapshot(snapshot, sessions)
    smaller = copy.deepcopy(snapshot)
    models = smaller["models"]
    models["purchase.order"] = [o for o in models["purchase.order"] if o["id"] != 600]
    models["res.partner.bank"] = models["res.partner.bank"][1:]
    import_snapshot(smaller, sessions)
    with sessions() as s:
        assert s.get(M.PurchaseOrder, 600) is None
        assert s.execute(select(M.PurchaseOrderLine).where(M.PurchaseOrderLine.order_id == 600)).all() == []
        assert s.get(M.VendorBankAccount, 200) is None


def test_a_file_that_is_not_a_snapshot_is_refused(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(SnapshotFormatError, match="not a payables-world/1 snapshot"):
        import_snapshot({"format": "something-else"}, sessions)
    with pytest.raises(SnapshotFormatError, match="each with an id"):
        import_snapshot({"format": "payables-world/1", "models": {"res.partner": [{"name": "no id"}]}}, sessions)


def test_the_command_imports_into_the_configured_database(snapshot: dict[str, Any], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(snapshot), encoding="utf-8")
    monkeypatch.setenv("PAYABLES_DATA_DIR", str(tmp_path / "var"))
    result = CliRunner().invoke(cli, ["erp", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["imported"]["purchase.order"] == 12
