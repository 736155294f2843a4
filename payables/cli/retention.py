"""``payables retention run [--dry-run]``."""

from __future__ import annotations

import click

from payables.retention import RetentionPolicy, run
from payables.runtime import Runtime


@click.group()
def command() -> None:
    """Apply the document retention policy."""


@command.command("run")
@click.option("--dry-run", is_flag=True, help="Only report what would be removed and what is kept, and why.")
def run_command(dry_run: bool) -> None:
    """Remove the content of documents past their retention period (the rows and audit trail stay)."""
    rt = Runtime.from_settings()
    policy = RetentionPolicy.load(rt.settings.retention_file)
    report = run(rt.sessions, rt.store, policy, dry_run=dry_run)
    for cls, days in policy.days.items():
        click.echo(f"{cls:18} keep {days:5} days   due: {report.due.get(cls, 0)}")
    for reason, n in sorted(report.kept.items()):
        click.echo(f"kept although past their period ({reason}): {n}")
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb} {sum(report.due.values())} documents, {report.bytes / 1e6:.1f} MB")
