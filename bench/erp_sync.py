"""Mirror sync from the sandbox Odoo: a full sync of 10,000 POs / 100,000 lines (with their receipts and
bills), then an incremental sync after 100 changes in Odoo; seconds, RPC calls and peak memory of the
syncing process. Baseline, measured in the same run: the naive sync (one ``search_read`` of an order and
one ``read`` of its lines per order, written order by order) over the first ``--naive`` orders.

The sandbox runs in its own process (``payables erp sandbox``), the mirror is PostgreSQL (production's
database; ``--sqlite`` for the embedded default), each sync phase runs in a fresh process so its peak
resident memory is its own.

    .venv/bin/python bench/erp_sync.py [--orders 10000 --lines 10 --naive 500 --protocol xmlrpc --sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from erp.client import OdooClient, OdooConfig  # noqa: E402
from tests.support.servers import free_port, postgres_server, wait_for_port  # noqa: E402

KEY = "bench-key"


def rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def client(url: str, protocol: str) -> OdooClient:
    return OdooClient(OdooConfig(url, "sandbox", "admin", KEY, protocol=protocol, timeout_s=600))


# -- phases, each in its own process ---------------------------------------------------------------

def phase(args: argparse.Namespace) -> None:
    from models.db import make_engine, make_session_factory

    before = rss_mb()
    engine = make_engine(args.db)
    sessions = make_session_factory(engine)
    odoo = client(args.url, args.protocol)
    odoo.uid  # noqa: B018  (authenticate outside the timing, as a long-running worker has)
    started = time.perf_counter()
    if args.phase in ("full", "incremental"):
        from erp.sync import sync_mirror

        report = sync_mirror(odoo, sessions, full=args.phase == "full", overlap_s=args.overlap)
        out: dict[str, Any] = {"seconds": time.perf_counter() - started, "calls": report.calls,
                               "odoo_seconds": report.odoo_seconds,
                               "orders": report.models["purchase.order"].read,
                               "lines_read": report.model("purchase.order.line").read,
                               "models": {k: v.read for k, v in report.models.items()}}
    else:
        out = naive(odoo, sessions, args.naive)
        out["seconds"] = time.perf_counter() - started
    out["rss_before_mb"] = before
    out["peak_rss_mb"] = rss_mb()
    engine.dispose()
    print(json.dumps(out))


def naive(odoo: OdooClient, sessions: Any, limit: int) -> dict[str, Any]:
    """What a first integration does: one order at a time, its lines in a second call."""
    from erp.sync.writer import MirrorWriter
    from models.db import transaction

    scoped = odoo.for_companies(odoo.user_company_ids())
    calls_before = odoo.stats.total
    ids = scoped.search("purchase.order", [("state", "in", ["purchase", "done", "cancel"])], limit=limit, order="id")
    lines_read = 0
    for oid in ids:
        order = scoped.search_read("purchase.order", [("id", "=", oid)], [
            "name", "partner_id", "partner_ref", "state", "currency_id", "company_id", "picking_type_id", "date_order",
            "amount_untaxed", "amount_tax", "amount_total", "invoice_status", "receipt_status", "order_line",
            "write_date"])[0]
        lines = scoped.read("purchase.order.line", order["order_line"], [
            "order_id", "sequence", "product_id", "name", "product_qty", "product_uom", "price_unit", "taxes_id",
            "qty_received", "qty_invoiced", "price_subtotal", "display_type", "write_date"])
        lines_read += len(lines)
        with transaction(sessions) as s:
            writer = MirrorWriter(s)
            writer.apply_records("purchase.order", [{k: v for k, v in order.items() if k != "order_line"}])
            writer.apply_records("purchase.order.line", lines)
    return {"orders": len(ids), "lines_read": lines_read, "calls": odoo.stats.total - calls_before,
            "odoo_seconds": odoo.stats.wait_s}


# -- the driver ------------------------------------------------------------------------------------

def run_phase(name: str, url: str, db: str, protocol: str, **extra: Any) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--phase", name, "--url", url, "--db", db, "--protocol", protocol]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@contextlib.contextmanager
def sandbox(snapshot_path: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from payables.cli import main; main(sys.argv[1:])",
                             "erp", "sandbox", "--port", str(port),
                             "--snapshot", str(snapshot_path), "--api-key", KEY], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, timeout=600, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(30)


@contextlib.contextmanager
def databases(use_sqlite: bool, tmp: Path) -> Iterator[Any]:
    """A factory of empty, migrated mirror databases."""
    from models.migrate import upgrade

    if use_sqlite:
        def sqlite(name: str) -> str:
            url = f"sqlite:///{tmp / name}.db"
            upgrade(url)
            return url
        yield sqlite
        return
    with postgres_server() as pg:
        def postgres(name: str) -> str:
            url = pg.create_database(name)
            upgrade(url)
            return url
        yield postgres


def make_changes(url: str, protocol: str) -> dict[str, int]:
    """100 changes, as a day in purchasing brings them: receipts booked, orders confirmed and cancelled,
    bills posted."""
    odoo = client(url, protocol)
    scoped = odoo.for_companies(odoo.user_company_ids())
    done: dict[str, int] = {"receipts": 0, "new_orders": 0, "cancelled": 0, "bills": 0}
    for picking in scoped.search("stock.picking", [("state", "=", "assigned"), ("picking_type_code", "=", "incoming")],
                                 limit=40, order="id"):
        for move in scoped.search("stock.move", [("picking_id", "=", picking)]):
            scoped.write("stock.move", [move], {"picked": True})
        scoped.call("stock.picking", "button_validate", [picking])
        done["receipts"] += 1
    vendors = scoped.search("res.partner", [("supplier_rank", ">", 0)], limit=30)
    for i in range(30):
        lines = [(0, 0, {"product_id": 300 + k % 5, "product_qty": 10 + k, "price_unit": Decimal("4.10")})
                 for k in range(10)]
        order = scoped.create("purchase.order", {"partner_id": vendors[i % len(vendors)], "company_id": 1,
                                                 "order_line": lines})
        scoped.call("purchase.order", "button_confirm", [order])
        done["new_orders"] += 1
    for order in scoped.search("purchase.order", [("state", "=", "purchase"), ("receipt_status", "=", "pending")],
                               limit=20, order="id desc"):
        scoped.call("purchase.order", "button_cancel", [order])
        done["cancelled"] += 1
    for order in scoped.search_read("purchase.order", [("receipt_status", "=", "full"), ("invoice_status", "=",
                                                                                          "to invoice")],
                                    ["partner_id", "company_id", "order_line"], limit=10, order="id"):
        lines = scoped.read("purchase.order.line", order["order_line"], ["qty_received", "price_unit"])
        bill = scoped.create("account.move", {
            "move_type": "in_invoice", "partner_id": order["partner_id"][0], "company_id": order["company_id"][0],
            "ref": f"BENCH-{order['id']}", "invoice_date": "2025-03-31",
            "invoice_line_ids": [(0, 0, {"purchase_line_id": ln["id"], "quantity": ln["qty_received"],
                                         "price_unit": ln["price_unit"]}) for ln in lines]})
        scoped.call("account.move", "action_post", [bill])
        done["bills"] += 1
    odoo.close()
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # make_snapshot leaves one order in six a draft (not synced): 12,000 give 10,000 in scope.
    parser.add_argument("--orders", type=int, default=12_000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--naive", type=int, default=500)
    parser.add_argument("--protocol", default="xmlrpc", choices=["xmlrpc", "jsonrpc", "json2"])
    parser.add_argument("--sqlite", action="store_true", help="mirror in SQLite instead of PostgreSQL")
    parser.add_argument("--overlap", type=float, default=300.0)
    parser.add_argument("--phase", choices=["full", "incremental", "naive"])
    parser.add_argument("--url")
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.phase:
        return phase(args)

    from tests.erp.snapshots import make_snapshot

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        snapshot = make_snapshot(orders=args.orders, lines_per_order=args.lines, vendors=200, seed=7)
        path = tmp / "world.json"
        path.write_text(json.dumps(snapshot), encoding="utf-8")
        counts = {k: len(v) for k, v in snapshot["models"].items()}
        print(f"world: {counts['purchase.order']} orders, {counts['purchase.order.line']} lines, "
              f"{counts['stock.picking']} receipts, {counts['stock.move']} moves, {counts['account.move']} bills "
              f"({time.perf_counter() - started:.0f}s to generate)", file=sys.stderr)
        del snapshot
        with sandbox(path) as url, databases(args.sqlite, tmp) as new_db:
            mirror = new_db("bench_mirror")
            full = run_phase("full", url, mirror, args.protocol)
            changes = make_changes(url, args.protocol)
            incremental = run_phase("incremental", url, mirror, args.protocol, overlap=args.overlap)
            naive_run = run_phase("naive", url, new_db("bench_naive"), args.protocol, naive=args.naive)
    per_order_full = full["seconds"] / max(full["orders"], 1)
    per_order_naive = naive_run["seconds"] / max(naive_run["orders"], 1)
    report = {
        "protocol": args.protocol, "database": "sqlite" if args.sqlite else "postgresql",
        "world": {"orders": counts["purchase.order"], "lines": counts["purchase.order.line"],
                  "receipts": counts["stock.picking"], "moves": counts["stock.move"]},
        "full": full, "changes": changes, "incremental": incremental, "naive": naive_run,
        "ms_per_order": {"full": round(per_order_full * 1000, 2), "naive": round(per_order_naive * 1000, 2)},
        "naive_over_full_per_order": round(per_order_naive / per_order_full, 1),
        "calls_per_order": {"full": round(full["calls"] / max(full["orders"], 1), 4),
                            "naive": round(naive_run["calls"] / max(naive_run["orders"], 1), 2)},
        "full_over_incremental_seconds": round(full["seconds"] / incremental["seconds"], 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
