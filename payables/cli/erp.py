"""``payables erp import|sync|seed|sandbox``: the ERP mirror and its Odoo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from erp.client import OdooClient, OdooConfig
from payables.runtime import Runtime
from payables.settings import load_settings


@click.group()
def command() -> None:
    """The ERP mirror: import a snapshot, sync from Odoo, seed an Odoo, run the sandbox Odoo."""


def _client() -> OdooClient:
    return OdooClient(OdooConfig.from_settings(load_settings()))


@command.command("import")
@click.argument("snapshot", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(snapshot: Path) -> None:
    """Fill the mirror from a payables-world/1 SNAPSHOT (JSON); what it lacks is removed."""
    from erp.snapshot_import import import_snapshot_file

    rt = Runtime.from_settings()
    try:
        report = import_snapshot_file(snapshot, rt.sessions)
    finally:
        rt.close()
    click.echo(json.dumps(report.to_json(), indent=2))


@command.command()
@click.option("--full", is_flag=True, help="Read everything, not only what changed since the last sync.")
@click.option("--batch-size", default=500, show_default=True, help="Records per call.")
@click.option("--overlap", "overlap_s", default=300.0, show_default=True,
              help="Seconds re-read before each watermark (transactions that committed late).")
def sync(full: bool, batch_size: int, overlap_s: float) -> None:
    """Bring the mirror up to date with Odoo (PAYABLES_ODOO_URL, _DB, _USER, _API_KEY)."""
    from erp.sync import sync_mirror
    from payables.pipeline import Pipeline
    from payables.stages.rematch import rematch_after_sync

    rt = Runtime.from_settings()
    client = OdooClient(OdooConfig.from_settings(rt.settings))
    try:
        report = sync_mirror(client, rt.sessions, full=full, batch_size=batch_size, overlap_s=overlap_s)
        # A receipt or a price correction that just arrived may clear holds (as SAP and Oracle re-check
        # blocked invoices): re-match what waits in review, and post what no longer needs a person.
        rematch = rematch_after_sync(rt)
        pipeline = Pipeline.build(rt)
        for nxt in rematch.following:
            pipeline.enqueue(nxt.stage, nxt.document_id)
        if rematch.following and rt.settings.embedded_broker:
            pipeline.start_worker()
            pipeline.drain()
            pipeline.stop()
    finally:
        client.close()
        rt.close()
    out = report.to_json()
    out["rematched"] = {"examined": rematch.examined, "now_auto_approved": len(rematch.auto_approved),
                        "still_in_review": len(rematch.still_in_review)}
    click.echo(json.dumps(out, indent=2))


@command.command()
@click.argument("world", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def seed(world: Path) -> None:
    """Push a payables-world/1 snapshot (WORLD) into the configured Odoo: master data, POs confirmed,
    receipts validated as the snapshot says, existing bills posted. Safe to run twice."""
    from erp.seed import seed_odoo
    from erp.snapshot_import import read_snapshot

    data = read_snapshot(world)
    with _client() as client:
        report = seed_odoo(client, data)
    click.echo(json.dumps(report.to_json(), indent=2))


@command.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8069, show_default=True, type=int)
@click.option("--snapshot", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Load this payables-world/1 snapshot, keeping its ids.")
@click.option("--db", default="sandbox", show_default=True, help="The database name clients must use.")
@click.option("--login", default="admin", show_default=True)
@click.option("--api-key", default="sandbox-api-key", show_default=True)
def sandbox(host: str, port: int, snapshot: Path | None, db: str, login: str, api_key: str) -> None:
    """Run the sandbox Odoo (a test server speaking Odoo 18's external API) in the foreground."""
    from erp.sandbox import SandboxServer, new_world

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("warning: the sandbox has a control endpoint for fault injection; keep it on loopback", err=True)
    server = SandboxServer(new_world(db=db, snapshot=snapshot, login=login, api_key=api_key), host, port)
    click.echo(f"sandbox Odoo on {server.url} (database {db}, user {login}, API key {api_key})", err=True)
    click.echo(f"PAYABLES_ODOO_URL={server.url} PAYABLES_ODOO_DB={db} PAYABLES_ODOO_USER={login} "
               f"PAYABLES_ODOO_API_KEY={api_key}", err=True)
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
