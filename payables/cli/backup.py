"""``payables backup OUT``: the database and the object store's inventory in one archive."""

from __future__ import annotations

from pathlib import Path

import click

from payables.backup import backup
from payables.runtime import Runtime


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--with-objects", is_flag=True, help="Also copy the documents' bytes (the folder store has no "
              "replication of its own; MinIO does).")
def command(out: Path, with_objects: bool) -> None:
    """Write a backup archive to OUT (.tar.gz)."""
    rt = Runtime.from_settings()
    report = backup(rt.engine, rt.store, out, with_objects=with_objects)
    rows = sum(report.tables.values())
    click.echo(f"backed up {rows} rows in {len(report.tables)} tables and {report.objects} objects to {out}")
