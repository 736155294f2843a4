"""``payables users report``: who has access, with what role and limit, to which sites, when they last
signed in, and whether their second factor is set up: the periodic access review."""

from __future__ import annotations

import csv
import sys

import click


@click.group()
def command() -> None:
    """Reports on users for access reviews."""


@command.command()
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout instead of a table.")
def report(as_csv: bool) -> None:
    """Every user: role, approval limit, sites ('all': the whole group), state, last sign-in, second
    factor, open sessions."""
    from models.base import utcnow
    from payables.runtime import Runtime
    from review_ui.services.accounts import users_report

    rt = Runtime.from_settings()
    try:
        with rt.sessions() as db:
            rows = users_report(db, utcnow())
    finally:
        rt.close()
    header = ("user", "name", "role", "approval_limit", "sites", "state", "last_sign_in", "mfa", "open_sessions")
    table = [(r.username, r.display_name, r.role, "" if r.approval_limit is None else f"{r.approval_limit:.2f}",
              r.sites_label,
              ("active" if r.active else "deactivated") + (" (locked)" if r.locked_until else ""),
              r.last_sign_in.strftime("%Y-%m-%d %H:%M") if r.last_sign_in else "never", r.mfa, str(r.open_sessions))
             for r in rows]
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(table)
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table, strict=False)]
    for row in (header, *table):
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    owed = [r.username for r in rows if r.active and r.mfa == "owed"]
    if owed:
        click.echo(f"\nsecond factor not yet set up: {', '.join(owed)}", err=True)
