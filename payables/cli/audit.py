"""``payables audit verify`` checks the audit log's hash chain; ``payables audit export --csv`` writes it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click


@click.group()
def command() -> None:
    """The append-only, hash-chained audit log."""


@command.command()
def verify() -> None:
    """Re-compute every entry's hash in order; report the first entry changed, removed or inserted."""
    from sqlalchemy import select

    from models.audit import AuditEntry, verify_chain
    from payables.runtime import Runtime

    rt = Runtime.from_settings()
    try:
        with rt.sessions() as db:
            entries: Iterator[AuditEntry] = db.execute(
                select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=2000)).scalars()
            result = verify_chain(entries)
    finally:
        rt.close()
    if result.ok:
        click.echo(f"audit chain intact: {result.entries} entries")
        return
    click.echo(f"audit chain BROKEN at entry {result.first_bad_id} (entry {result.entries} in order): "
               f"{result.problem}", err=True)
    sys.exit(1)


@command.command()
@click.option("--csv", "as_csv", is_flag=True, required=True, help="CSV (the only format).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (UTC), inclusive.")
@click.option("--document", type=int, help="Only this document's entries.")
def export(as_csv: bool, out: Path | None, since: object, until: object, document: int | None) -> None:
    """The log (or part of it) in chain order, with every entry's hash and the one before it."""
    from models.audit import append_audit
    from models.db import transaction
    from payables.runtime import Runtime
    from review_ui.services.history import AuditQuery, export_csv

    def day(value: object) -> date | None:
        return value.date() if value is not None else None  # type: ignore[attr-defined]

    query = AuditQuery(day(since), day(until), document)
    rt = Runtime.from_settings()
    try:
        with transaction(rt.sessions) as db:
            append_audit(db, actor="system:cli", action="audit_export",
                         changes={"start": str(query.start), "end": str(query.end), "document": document})
        target = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            for chunk in export_csv(rt.sessions, query):
                target.write(chunk)
        finally:
            if out:
                target.close()
    finally:
        rt.close()
