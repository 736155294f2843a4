"""``payables restore ARCHIVE``: load a backup into an empty system."""

from __future__ import annotations

from pathlib import Path

import click

from payables.backup import restore
from payables.runtime import Runtime


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def command(archive: Path) -> None:
    """Restore ARCHIVE into the configured (empty) database and object store, then check the audit chain
    with `payables audit verify`."""
    rt = Runtime.from_settings()
    report = restore(rt.engine, rt.store, archive, rt.settings.db_url)
    click.echo(f"restored {sum(report.tables.values())} rows; {report.objects} objects listed")
    if report.missing_objects:
        click.echo(f"{len(report.missing_objects)} objects are missing from the store, e.g. "
                   f"{report.missing_objects[0]}: restore the bucket from its own backup", err=True)
        raise SystemExit(1)
