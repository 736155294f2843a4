"""``payables demo``: a generated AP world through the pipeline on the embedded defaults, then the UI."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from payables.demo import Credentials, DemoSummary
from payables.settings import load_settings


@click.command()
@click.option("--seed", default=7, show_default=True, help="The world's seed (the same seed, the same world).")
@click.option("--vendors", default=60, show_default=True, help="Vendors in the demo ERP.")
@click.option("--invoices", default=80, show_default=True, help="Invoices the vendors send.")
@click.option("--port", default=8000, show_default=True, help="The review UI's port.")
@click.option("--serve/--no-serve", default=True, show_default=True, help="Start the review UI at the end.")
def command(seed: int, vendors: int, invoices: int, port: int, serve: bool) -> None:
    """Generate (once) a synthetic AP world, run its invoices through intake, extraction, matching and
    routing with a sandbox Odoo for posting, print a summary, and serve the review UI with demo users."""
    from erp.sandbox import SandboxServer, new_world
    from erp.snapshot_import import import_snapshot_file
    from payables.demo import (
        SANDBOX_DB,
        SANDBOX_KEY,
        SANDBOX_LOGIN,
        create_users,
        ensure_world,
        primary_documents,
        process,
        sandbox_bills,
    )
    from payables.pipeline import Pipeline
    from payables.runtime import Runtime

    base = load_settings().data_dir
    world_dir = base / f"demo-world-{seed}-{vendors}-{invoices}"
    data_dir = base / "demo"
    click.echo(f"demo world: seed {seed}, {vendors} vendors, {invoices} invoices (generated once, in {world_dir})",
               err=True)
    world = ensure_world(world_dir, seed=seed, vendors=vendors, invoices=invoices)
    shutil.rmtree(data_dir, ignore_errors=True)  # each demo starts from an empty system

    sandbox = SandboxServer(new_world(db=SANDBOX_DB, snapshot=world / "snapshot.json", login=SANDBOX_LOGIN,
                                      api_key=SANDBOX_KEY)).start()
    rt = Runtime.from_settings(load_settings(
        data_dir=data_dir, odoo_url=sandbox.url, odoo_db=SANDBOX_DB, odoo_user=SANDBOX_LOGIN,
        odoo_api_key=SANDBOX_KEY))
    pipeline = Pipeline.build(rt)
    try:
        imported = import_snapshot_file(world / "snapshot.json", rt.sessions)
        click.echo(f"ERP mirror filled from the snapshot in {imported.seconds:.1f} s", err=True)
        bills_before = sandbox_bills(sandbox.world)
        pipeline.start_worker()
        documents = primary_documents(world)
        with click.progressbar(length=len(documents), label="invoices in", file=sys.stderr) as bar:
            summary = process(pipeline, documents, progress=bar.update)
        users = create_users(rt)
        _print_summary(summary, sandbox_bills(sandbox.world) - bills_before, world)
        if serve:
            _print_users(users, port)
            _serve(pipeline, port)
    finally:
        pipeline.stop()
        sandbox.stop()
        rt.close()


def _print_summary(summary: DemoSummary, bills: int, world: Path) -> None:
    posted = summary.states.get("posted", 0)
    docs = sum(summary.states.values())
    click.echo("")
    click.echo(f"payables demo: {summary.invoices} invoices from {world}")
    click.echo("  as sent: " + ", ".join(f"{v} {k}" for k, v in sorted(summary.renderings.items())))
    click.echo("  ERP mirror: " + ", ".join(f"{v} {k}" for k, v in summary.mirror.items()))
    click.echo(f"  {docs} documents processed in {summary.seconds:.0f} s")
    click.echo(f"  posted to Odoo on their own: {posted} ({posted / max(docs, 1):.0%} touchless); "
               f"new vendor bills in the sandbox Odoo: {bills}")
    click.echo("  documents by state:")
    for state, n in sorted(summary.states.items()):
        click.echo(f"    {state:16} {n}")
    if summary.holds:
        click.echo("  holds waiting in the review queue:")
        for code, n in summary.holds.most_common():
            click.echo(f"    {code:24} {n}")


def _print_users(users: list[Credentials], port: int) -> None:
    click.echo("")
    click.echo(f"Review UI: http://127.0.0.1:{port}/  (sign in as one of these demo users)")
    for u in users:
        limit = f", approval limit {u.limit:,.2f}" if u.limit is not None else ""
        where = f", site {', '.join(u.sites)} only" if u.sites else ""
        click.echo(f"  {u.role:8} {u.username:8} password {u.password}{limit}{where}")
        if u.totp_secret:
            click.echo(f"           TOTP secret {u.totp_secret}: add it to an authenticator app, or run "
                       f".venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{u.totp_secret}').now())\"")
    click.echo("Ctrl-C stops the demo.")


def _serve(pipeline: object, port: int) -> None:
    import uvicorn

    from payables.pipeline import Pipeline
    from review_ui import AppContext, create_app

    assert isinstance(pipeline, Pipeline)
    rt = pipeline.rt
    ctx = AppContext(sessions=rt.sessions, store=rt.store, secret=rt.settings.application_secret(),
                     submit=pipeline.submit, enqueue=pipeline.enqueue,
                     retry=lambda document_id, actor: pipeline.retry(document_id, actor=actor),
                     secure_cookies=False, odoo_url=rt.settings.odoo_url,
                     max_upload_bytes=rt.settings.max_upload_bytes)
    uvicorn.run(create_app(ctx), host="127.0.0.1", port=port, server_header=False, log_level="warning")
